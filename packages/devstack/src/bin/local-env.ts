#!/usr/bin/env node
// Runs a command with the local stack's environment (endpoints, prefix, database), so
// `npm run ops -- queues stats` talks to `npm start`'s stack. Variables already set win.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { commonDaemonEnv, consoleEnv, localEndpoints, runningDaemonsFile } from "../local/environment.js";
import { localLayout } from "../local/layout.js";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: local-env COMMAND [ARGS…]\n");
  process.exit(2);
}
const layout = localLayout();
const noted = runningDaemonsFile(layout);
const daemons = existsSync(noted)
  ? (JSON.parse(readFileSync(noted, "utf8")) as { label: string; httpPort: number }[])
  : [];
const child = spawn(command, args, {
  env: {
    ...commonDaemonEnv(layout, localEndpoints(layout)),
    ...consoleEnv(layout, daemons),
    ...process.env,
  },
  stdio: "inherit",
});
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
