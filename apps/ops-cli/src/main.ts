#!/usr/bin/env node
// Entry point of the `isikhnas` operator command.
import { ConfigError } from "@isikhnas/platform";
import { CommanderError } from "commander";
import { createProgram } from "./program.js";

const program = createProgram({ env: process.env, out: (line) => process.stdout.write(`${line}\n`) });
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
