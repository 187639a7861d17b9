// Runs benchmarks one after another, each in its own process (so its memory figures are its
// own), collects the figures each hands over through BENCH_FIGURES_FILE, and lays them out
// as one table and one JSON report.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchFigure } from "./figures.js";

export interface Benchmark {
  /** Short name, as in the figures' names: "queue", "email". */
  name: string;
  /** Script path, relative to `cwd`. */
  script: string;
  args: readonly string[];
}

export interface BenchmarkRun {
  name: string;
  /** The process's exit code (null when a signal ended it). */
  exitCode: number | null;
  seconds: number;
  /** The machine's 1, 5 and 15 minute load averages when the benchmark started. */
  loadAverage: number[];
  figures: BenchFigure[];
}

export interface BenchReport {
  /** When the run began. */
  date: string;
  node: string;
  cpus: number;
  /** At the start of the whole run. */
  loadAverage: number[];
  benchmarks: Omit<BenchmarkRun, "figures">[];
  figures: BenchFigure[];
}

export interface RunOptions {
  cwd: string;
  /** Node flags for each benchmark process (the TypeScript loader). */
  execArgv: readonly string[];
  /** Where each benchmark's own output goes: the table owns stdout. */
  output?: "inherit-stderr" | "ignore";
  /** A benchmark still running after this long is killed and counted as failed (default 20 minutes). */
  timeoutMs?: number;
}

export async function runBenchmarks(
  benchmarks: readonly Benchmark[],
  options: RunOptions,
): Promise<BenchReport> {
  const startLoad = loadAverage();
  const date = new Date().toISOString();
  const runs: BenchmarkRun[] = [];
  const dir = await mkdtemp(join(tmpdir(), "isikhnas-bench-figures-"));
  try {
    for (const benchmark of benchmarks) runs.push(await runOne(benchmark, dir, options));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    date,
    node: process.version,
    cpus: availableParallelism(),
    loadAverage: startLoad,
    benchmarks: runs.map(({ figures: _, ...run }) => run),
    figures: runs.flatMap((run) => run.figures),
  };
}

async function runOne(benchmark: Benchmark, dir: string, options: RunOptions): Promise<BenchmarkRun> {
  const file = join(dir, `${benchmark.name}.jsonl`);
  const load = loadAverage();
  const started = performance.now();
  if (options.output !== "ignore")
    process.stderr.write(
      `\n== ${benchmark.name}: ${benchmark.script} ${benchmark.args.join(" ")} (load ${load.join(" ")})\n`,
    );
  const child = spawn(process.execPath, [...options.execArgv, benchmark.script, ...benchmark.args], {
    cwd: options.cwd,
    env: { ...process.env, BENCH_FIGURES_FILE: file },
    stdio: options.output === "ignore" ? "ignore" : ["ignore", 2, 2],
    // Its own process group, so a hung benchmark goes with the processes it started.
    detached: true,
  });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
  };
  const timer = setTimeout(killGroup, options.timeoutMs ?? 20 * 60_000);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  }).finally(() => clearTimeout(timer));
  // Whatever it left running (a forked worker) would skew the next benchmark's figures.
  killGroup();
  return {
    name: benchmark.name,
    exitCode,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    loadAverage: load,
    figures: await readFigures(file),
  };
}

/** The figures a benchmark appended, one JSON object a line; none when it wrote none. */
export async function readFigures(file: string): Promise<BenchFigure[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as BenchFigure);
}

/** One line per figure, the load at its benchmark's start beside it; a line for a benchmark that gave none. */
export function formatTable(report: BenchReport): string {
  const header = ["figure", "value", "unit", "anchor", "anchor value", "ratio", "load (1 min)"];
  const rows: string[][] = [];
  for (const run of report.benchmarks) {
    const load = run.loadAverage[0]?.toFixed(2) ?? "";
    const figures = report.figures.filter(
      (each) => each.name === run.name || each.name.startsWith(`${run.name}.`),
    );
    if (figures.length === 0) {
      const why =
        run.exitCode === 0
          ? "no figures recorded"
          : run.exitCode === null
            ? "killed (timed out or signalled)"
            : `failed (exit ${run.exitCode})`;
      rows.push([run.name, "—", "", why, "", "", load]);
      continue;
    }
    for (const each of figures) {
      rows.push([
        each.name,
        String(each.value),
        each.unit,
        each.anchor ?? "",
        each.anchorValue === undefined ? "" : String(each.anchorValue),
        each.ratio === undefined ? "" : each.ratio.toFixed(2),
        load,
      ]);
    }
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 1 || column === 4 || column === 5
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [
    `${report.date}  Node ${report.node}  ${report.cpus} CPUs  load ${report.loadAverage.join(" ")}`,
    line(header),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map(line),
  ].join("\n");
}

function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}
