// Child processes the end-to-end tests start (daemons, socat) and stop again.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

/** Signals a child that still runs and resolves once it has exited. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  await exited;
}
