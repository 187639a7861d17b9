// `npm run bench`: every benchmark at a size that fits a few minutes, each in its own
// process, then one table on stdout and bench/results.json.
// Run: npm run bench [-- --only queue,email --out bench/results.json]
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Benchmark, formatTable, runBenchmarks } from "./aggregate.js";

const BENCHMARKS: Benchmark[] = [
  { name: "queue", script: "bench/queue.ts", args: ["--messages", "3000", "--rounds", "3"] },
  { name: "bucket", script: "bench/bucket.ts", args: ["--megabytes", "100"] },
  { name: "email", script: "bench/email.ts", args: ["--mails", "200", "--recipients", "1000"] },
  { name: "excel", script: "bench/excel.ts", args: ["--rows", "10000,100000"] },
  { name: "commands", script: "bench/commands.ts", args: ["--messages", "2000"] },
  { name: "sms", script: "bench/sms.ts", args: ["--messages", "2000"] },
  { name: "im", script: "bench/im.ts", args: ["--updates", "1000"] },
  { name: "reports", script: "bench/reports.ts", args: ["--sizes", "20000"] },
];

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    out: { type: "string", default: "bench/results.json" },
  },
});
const only = args.only?.split(",");
const chosen = only ? BENCHMARKS.filter((each) => only.includes(each.name)) : BENCHMARKS;

const report = await runBenchmarks(chosen, {
  cwd: root,
  execArgv: ["--conditions=source", "--import", "tsx"],
});
await writeFile(resolve(root, args.out), `${JSON.stringify(report, null, 2)}\n`);
console.log(formatTable(report));
if (report.benchmarks.some((run) => run.exitCode !== 0)) process.exitCode = 1;
