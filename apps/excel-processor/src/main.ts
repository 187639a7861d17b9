#!/usr/bin/env node
// excel-processor: consumes emailinput, imports workbooks, answers through emailoutput.
import {
  createDatabases,
  createLogger,
  createMetrics,
  createS3Client,
  createSqsClient,
  loadConfigOrExit,
  runDaemon,
} from "@isikhnas/platform";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const config = loadConfigOrExit(() => loadConfig());
const logger = createLogger({ name: "excel-processor", level: config.LOG_LEVEL });
const databases = createDatabases(config, "excel-processor");
await runDaemon(
  async () =>
    createApp({
      config,
      logger,
      sqs: createSqsClient(config),
      s3: createS3Client(config),
      databases,
      metrics: createMetrics(),
    }),
  { logger },
);
