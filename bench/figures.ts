// The figures a benchmark reports, in the one shape `npm run bench` collects into
// bench/results.json, so a regression shows as a changed ratio against its anchor.
import { appendFileSync } from "node:fs";

export interface BenchFigure {
  /** Dotted name, benchmark first: "commands.engine", "queue.consumer". */
  name: string;
  value: number;
  /** "msg/s", "rows/s", "MiB", "round trips", "s", … */
  unit: string;
  /** What the value is measured against, on the same machine in the same run. */
  anchor?: string;
  anchorValue?: number;
  /** value / anchorValue (or its inverse for costs, as the name says), rounded to 2 places. */
  ratio?: number;
}

/** A figure against its anchor, the ratio worked out. */
export function against(
  name: string,
  value: number,
  unit: string,
  anchor: string,
  anchorValue: number,
): BenchFigure {
  const ratio = anchorValue === 0 ? 0 : Math.round((value / anchorValue) * 100) / 100;
  return { name, value: round(value), unit, anchor, anchorValue: round(anchorValue), ratio };
}

export function figure(name: string, value: number, unit: string): BenchFigure {
  return { name, value: round(value), unit };
}

/**
 * Hands the figures to `npm run bench` when it runs this benchmark (it names a file in
 * BENCH_FIGURES_FILE, one JSON figure per line); a benchmark run on its own prints its own
 * lines and this does nothing.
 */
export function recordFigures(figures: readonly BenchFigure[]): void {
  const file = process.env.BENCH_FIGURES_FILE;
  if (!file) return;
  appendFileSync(file, figures.map((each) => `${JSON.stringify(each)}\n`).join(""));
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
