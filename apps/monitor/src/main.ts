#!/usr/bin/env node
// monitor: probes the deployment from outside every MONITOR_INTERVAL_MS and texts the
// administrators when a check keeps failing, once more each day it lasts, and when it recovers.
import {
  createLogger,
  createMetrics,
  createQueueAges,
  createSqsClient,
  loadConfigOrExit,
  runDaemon,
} from "@isikhnas/platform";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { createSnsClient } from "./sns.js";

const config = loadConfigOrExit(() => loadConfig());
const logger = createLogger({ name: "monitor", level: config.LOG_LEVEL });

await runDaemon(
  async () =>
    createApp({
      config,
      logger,
      sqs: config.MONITOR_QUEUES.length ? createSqsClient(config) : undefined,
      queueAges: config.MONITOR_QUEUES.length
        ? createQueueAges(config, config.MONITOR_QUEUE_AGE_SOURCE).ages
        : undefined,
      sns: config.MONITOR_NOTIFY.includes("sns") ? createSnsClient(config) : undefined,
      metrics: createMetrics(),
    }),
  { logger },
);
