#!/usr/bin/env node
// email-ingest. `main.js` runs the daemon that consumes SES inbound notifications;
// `main.js pipe [--recipient <address>]` takes one mail from Postfix on stdin and exits
// 0 (handled) or 75 (try again later).
import {
  createDatabases,
  createLogger,
  createMetrics,
  createS3Client,
  createSqsClient,
  type Databases,
  loadConfigOrExit,
  runDaemon,
} from "@isikhnas/platform";
import { type AppDeps, buildIngestDeps, createApp } from "./app.js";
import { type IngestConfig, loadConfig } from "./config.js";
import { EX_TEMPFAIL, pipeRecipient, receivePipedMail } from "./pipe.js";

function buildDeps(
  config: IngestConfig,
  name: string,
  destination?: NodeJS.WritableStream,
): AppDeps & { databases: Databases } {
  const logger = createLogger({ name, level: config.LOG_LEVEL, ...(destination ? { destination } : {}) });
  return {
    config,
    logger,
    sqs: createSqsClient(config),
    s3: createS3Client(config),
    databases: createDatabases(config, name),
  };
}

async function runPipe(): Promise<void> {
  let deps: ReturnType<typeof buildDeps>;
  try {
    // Log lines go to stderr: Postfix quotes a failed command's output in its logs.
    deps = buildDeps({ ...loadConfig(), DB_POOL_MAX: 2 }, "email-ingest-pipe", process.stderr);
  } catch (error) {
    // A configuration fault is the operator's to fix; Postfix keeps the mail meanwhile.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EX_TEMPFAIL;
    return;
  }
  const outcome = await receivePipedMail(
    buildIngestDeps(deps),
    process.stdin,
    pipeRecipient(process.argv.slice(3), process.env),
  );
  // The mail's fate is decided; a pool that fails to close must not change the exit code.
  await deps.databases.close().catch(() => {});
  deps.sqs.destroy();
  deps.s3.destroy();
  process.exitCode = outcome.exitCode;
}

if (process.argv[2] === "pipe") {
  await runPipe();
} else {
  const deps = buildDeps(
    loadConfigOrExit(() => loadConfig()),
    "email-ingest",
  );
  await runDaemon(async () => createApp({ ...deps, metrics: createMetrics() }), { logger: deps.logger });
}
