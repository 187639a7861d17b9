// excel-processor as a value: the emailinput consumer with its handler, and the health
// and metrics port.
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  createBuckets,
  createConsumer,
  createProducer,
  type Daemon,
  type Database,
  type Logger,
  type Metrics,
  queueDaemon,
} from "@isikhnas/platform";
import { CodeListCache } from "./code-lists.js";
import { limitsOf, type ProcessorConfig } from "./config.js";
import { createUploadHandler } from "./upload-handler.js";

export interface AppDeps {
  config: ProcessorConfig;
  logger: Logger;
  sqs: SQSClient;
  s3: S3Client;
  databases: { live: Database; training?: Database | undefined };
  metrics?: Metrics | undefined;
}

export interface ProcessorDaemon extends Daemon {
  readonly httpPort: number | undefined;
}

export function createApp(deps: AppDeps): ProcessorDaemon {
  const { config, logger } = deps;
  const buckets = createBuckets({ s3: deps.s3 }, { prefix: config.RESOURCE_PREFIX });
  const handler = createUploadHandler({
    databases: deps.databases,
    buckets,
    producer: createProducer({ sqs: deps.sqs, logger }, { prefix: config.RESOURCE_PREFIX }),
    codeLists: new CodeListCache(),
    settings: {
      systemTag: config.SYSTEM_TAG,
      trainingSystemTag: config.TRAINING_SYSTEM_TAG,
      limits: limitsOf(config),
      errorWorkbookMaxRows: config.ERROR_WORKBOOK_MAX_ROWS,
      statementTimeoutMs: config.IMPORT_STATEMENT_TIMEOUT_MS,
      workDir: config.WORK_DIR,
    },
  });
  const consumer = createConsumer(
    { sqs: deps.sqs, logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
    {
      queue: "emailinput",
      prefix: config.RESOURCE_PREFIX,
      handler,
      concurrency: config.EXCEL_CONCURRENCY,
      visibilityTimeoutSeconds: config.EMAILINPUT_VISIBILITY_SECONDS,
      // An import may run statements up to IMPORT_STATEMENT_TIMEOUT_MS each: its deadline
      // must not cut one short (the consumer's default is four visibility timeouts).
      handlerTimeoutSeconds: Math.min(
        43_200,
        Math.max(
          4 * config.EMAILINPUT_VISIBILITY_SECONDS,
          Math.ceil((2 * config.IMPORT_STATEMENT_TIMEOUT_MS) / 1000),
        ),
      ),
    },
  );
  return queueDaemon({
    consumer,
    queue: "emailinput",
    sqs: deps.sqs,
    prefix: config.RESOURCE_PREFIX,
    databases: deps.databases,
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    metrics: deps.metrics,
  });
}
