#!/usr/bin/env node
// report-generator: consumes reportrequest and runs the schedules (`report-generator`),
// or works out once which scheduled reports are due and asks for them
// (`report-generator tick`, for the systemd timer).
import {
  createDatabases,
  createLogger,
  createMetrics,
  createProducer,
  createS3Client,
  createSqsClient,
  loadConfigOrExit,
  runDaemon,
} from "@isikhnas/platform";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { tick } from "./schedule.js";

const config = loadConfigOrExit(() => loadConfig());
const logger = createLogger({ name: "report-generator", level: config.LOG_LEVEL });
const databases = createDatabases(config, "report-generator");
const command = process.argv[2];

if (command === "tick") {
  try {
    const producer = createProducer(
      { sqs: createSqsClient(config), logger },
      { prefix: config.RESOURCE_PREFIX },
    );
    const result = await tick(
      { databases, producer, logger },
      { backfillDays: config.REPORT_BACKFILL_DAYS, requeueSeconds: config.REPORT_REQUEUE_SECONDS },
    );
    logger.info(result, "report tick");
  } catch (error) {
    logger.error({ err: error }, "report tick failed");
    process.exitCode = 1;
  } finally {
    await databases.close();
  }
} else if (command === undefined) {
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
} else {
  process.stderr.write(`usage: report-generator [tick]\n`);
  process.exitCode = 64;
}
