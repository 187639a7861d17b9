#!/usr/bin/env node
// `npm run logs -- [--grep TEXT] [--id CORRELATION_ID] [--daemon NAME] [--since 10m] [--json]`:
// the local stack's daemons' logs, searched and merged in time order.
import { join } from "node:path";
import { localLayout } from "../local/layout.js";
import { parseLogArgs, searchLogs, UsageError } from "../logs/search.js";

async function main(): Promise<number> {
  const options = parseLogArgs(process.argv.slice(2), {
    dir: join(localLayout().dataDir, "logs"),
    now: new Date(),
  });
  const matched = await searchLogs(options, (line) => process.stdout.write(`${line}\n`));
  // As grep: 1 when nothing matched, so scripts can tell.
  if (matched === 0) process.stderr.write(`no matching lines in ${options.dir}\n`);
  return matched === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError && error.asked) {
      process.stdout.write(`${error.message}\n`);
      return;
    }
    process.stderr.write(`${error instanceof UsageError ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
