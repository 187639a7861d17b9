#!/usr/bin/env node
// Runs a command with the local stack's environment (endpoints, prefix, database), so
// `npm run ops -- queues stats` talks to `npm start`'s stack. Variables already set win.
import { spawn } from "node:child_process";
import { commonDaemonEnv, localEndpoints } from "../local/environment.js";
import { localLayout } from "../local/layout.js";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: local-env COMMAND [ARGS…]\n");
  process.exit(2);
}
const layout = localLayout();
const child = spawn(command, args, {
  env: { ...commonDaemonEnv(layout, localEndpoints(layout)), ...process.env },
  stdio: "inherit",
});
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
