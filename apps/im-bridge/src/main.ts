#!/usr/bin/env node
// im-bridge: the Telegram bot of one environment (live or training).
import {
  createBuckets,
  createDatabase,
  createLogger,
  createS3Client,
  loadConfigOrExit,
  runDaemon,
} from "@isikhnas/platform";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const config = loadConfigOrExit(() => loadConfig());
const logger = createLogger({ name: "im-bridge", level: config.LOG_LEVEL });
await runDaemon(
  async () =>
    createApp({
      config,
      logger,
      db: createDatabase(config, "im-bridge"),
      images: createBuckets({ s3: createS3Client(config) }, { prefix: config.RESOURCE_PREFIX }).images,
    }),
  { logger },
);
