#!/usr/bin/env node
// email-sender: sends every emailoutput message through SES (or SMTP) once, inside the
// account's sending rate.
import {
  createDatabase,
  createLogger,
  createMailer,
  createMetrics,
  createS3Client,
  createSesClient,
  createSqsClient,
  runDaemon,
} from "@isikhnas/platform";
import { createApp } from "./app.js";
import { loadConfig, type SenderConfig } from "./config.js";

let config: SenderConfig;
try {
  config = loadConfig();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const logger = createLogger({ name: "email-sender", level: config.LOG_LEVEL });
await runDaemon(
  async () =>
    createApp({
      config,
      logger,
      sqs: createSqsClient(config),
      s3: createS3Client(config),
      db: createDatabase(config, "email-sender"),
      mailer: createMailer(config, { ses: createSesClient(config) }),
      metrics: createMetrics(),
    }),
  { logger },
);
