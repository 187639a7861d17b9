// `npm run chaos [-- --items 10000 --seed 1 --rate 40 --keep]`: the chaos run of the whole
// local stack; prints its table and exits 1 when a promise is broken.
import { parseArgs } from "node:util";
import { formatReport } from "./report.js";
import { runChaos } from "./run.js";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "10000" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    rate: { type: "string", default: "40" },
    "max-seconds": { type: "string" },
    keep: { type: "boolean", default: false },
  },
});

const result = await runChaos({
  items: Number(args.items),
  seed: Number(args.seed),
  rate: Number(args.rate),
  ...(args["max-seconds"] ? { maxMs: Number(args["max-seconds"]) * 1000 } : {}),
  keepWorkDir: args.keep,
  log: (line) => console.error(`[chaos] ${line}`),
});
console.log(formatReport(result));
process.exitCode = result.verdict.broken.length === 0 ? 0 : 1;
