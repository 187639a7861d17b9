#!/usr/bin/env node
// `npm run mail -- FILE.eml [--training]`: delivers a raw mail to the running local stack
// the way Postfix would, by piping it into email-ingest.
import { spawn } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { join } from "node:path";
import { commonDaemonEnv, LOCAL_INGEST_ADDRESS, localEndpoints } from "../local/environment.js";
import { localLayout } from "../local/layout.js";

const args = process.argv.slice(2);
const training = args.includes("--training");
const file = args.find((arg) => !arg.startsWith("--"));
if (!file || !existsSync(file)) {
  process.stderr.write("usage: npm run mail -- FILE.eml [--training]   (with `npm start` running)\n");
  process.exit(2);
}
const layout = localLayout();
const entry = join(layout.repoRoot, "apps", "email-ingest", "dist", "main.js");
const recipient = training ? LOCAL_INGEST_ADDRESS.training : LOCAL_INGEST_ADDRESS.live;
const child = spawn(process.execPath, [entry, "pipe", "--recipient", recipient], {
  env: { ...process.env, ...commonDaemonEnv(layout, localEndpoints(layout)), HTTP_PORT: "0" },
  stdio: ["pipe", "inherit", "inherit"],
});
createReadStream(file).pipe(child.stdin);
child.on("exit", (code) => {
  process.stdout.write(
    code === 0
      ? `delivered to ${recipient}; answers appear at http://127.0.0.1:${layout.ports.ses}/\n`
      : `email-ingest exited ${code}\n`,
  );
  process.exitCode = code ?? 1;
});
