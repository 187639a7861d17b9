#!/usr/bin/env node
// excel-processor: consumes emailinput, imports workbooks, answers through emailoutput.
import {
  createDatabase,
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
const databases = {
  live: createDatabase(config, "excel-processor"),
  training: config.TRAINING_DATABASE_URL
    ? createDatabase(
        { ...config, DATABASE_URL: config.TRAINING_DATABASE_URL, DATABASE_READ_URL: undefined },
        "excel-processor-training",
      )
    : undefined,
};
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
