// Runs the `isikhnas` command once and turns every failure into a message and an exit code.
import { ConfigError } from "@isikhnas/platform";
import { CommanderError, InvalidArgumentError } from "commander";
import { createProgram, type ProgramIo } from "./program.js";

export interface CliIo extends ProgramIo {
  err: (line: string) => void;
}

/** The exit code of one run: 0, commander's own code, 2 for bad configuration, 1 otherwise. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv]);
    return 0;
  } catch (error) {
    // Commander prints its own parse errors before throwing them; an InvalidArgumentError
    // thrown from an action reaches here unprinted, so its message is ours to show.
    if (error instanceof InvalidArgumentError) {
      io.err(`error: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}
