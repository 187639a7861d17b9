#!/usr/bin/env node
// Entry point of the `isikhnas` operator command.
import { runCli } from "./cli.js";

process.exitCode = await runCli(process.argv, {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
