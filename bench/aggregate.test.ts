import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTable, readFigures, runBenchmarks } from "./aggregate.js";

// A stand-in benchmark: appends its figures as `recordFigures` does, or none, or fails.
const FAKE = `
import { appendFileSync } from "node:fs";
const mode = process.argv[2];
if (mode === "fail") process.exit(3);
if (mode === "hang") setInterval(() => {}, 1000);
if (mode === "figures") {
  appendFileSync(process.env.BENCH_FIGURES_FILE, JSON.stringify({ name: "fake.engine", value: 1180, unit: "msg/s", anchor: "bare inserts", anchorValue: 1455, ratio: 0.81 }) + "\\n");
  appendFileSync(process.env.BENCH_FIGURES_FILE, JSON.stringify({ name: "fake.rss", value: 64, unit: "MiB" }) + "\\n");
}
`;

describe("npm run bench's aggregator", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "isikhnas-aggregate-"));
    await writeFile(join(dir, "fake.mjs"), FAKE);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("collects each process's figures into one report and one table, naming the benchmarks that gave none", async () => {
    const report = await runBenchmarks(
      [
        { name: "fake", script: "fake.mjs", args: ["figures"] },
        { name: "quiet", script: "fake.mjs", args: ["none"] },
        { name: "broken", script: "fake.mjs", args: ["fail"] },
        { name: "hung", script: "fake.mjs", args: ["hang"] },
      ],
      { cwd: dir, execArgv: [], output: "ignore", timeoutMs: 3_000 },
    );

    expect(report.figures).toEqual([
      {
        name: "fake.engine",
        value: 1180,
        unit: "msg/s",
        anchor: "bare inserts",
        anchorValue: 1455,
        ratio: 0.81,
      },
      { name: "fake.rss", value: 64, unit: "MiB" },
    ]);
    expect(report.benchmarks.map((run) => [run.name, run.exitCode])).toEqual([
      ["fake", 0],
      ["quiet", 0],
      ["broken", 3],
      ["hung", null],
    ]);
    expect(report.node).toBe(process.version);
    expect(report.cpus).toBeGreaterThan(0);
    expect(report.loadAverage).toHaveLength(3);
    // A round trip through JSON, as bench/results.json holds it.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);

    const lines = formatTable(report).split("\n");
    expect(lines[0]).toContain(`Node ${process.version}`);
    expect(lines.find((line) => line.startsWith("fake.engine"))).toMatch(
      /^fake\.engine\s+1180\s+msg\/s\s+bare inserts\s+1455\s+0\.81\s+\d/,
    );
    expect(lines.find((line) => line.startsWith("fake.rss"))).toMatch(/^fake\.rss\s+64\s+MiB\s+\d/);
    expect(lines.find((line) => line.startsWith("quiet"))).toContain("no figures recorded");
    expect(lines.find((line) => line.startsWith("broken"))).toContain("failed (exit 3)");
    expect(lines.find((line) => line.startsWith("hung"))).toContain("killed (timed out or signalled)");
  });

  it("reads a figures file a benchmark never wrote as no figures", async () => {
    expect(await readFigures(join(dir, "missing.jsonl"))).toEqual([]);
    await writeFile(
      join(dir, "two.jsonl"),
      '{"name":"a","value":1,"unit":"s"}\n\n{"name":"b","value":2,"unit":"s"}\n',
    );
    expect((await readFigures(join(dir, "two.jsonl"))).map((each) => each.name)).toEqual(["a", "b"]);
  });
});
