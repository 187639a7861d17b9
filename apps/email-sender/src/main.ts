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
  loadConfigOrExit,
  runDaemon,
} from "@isikhnas/platform";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const config = loadConfigOrExit(() => loadConfig());
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
