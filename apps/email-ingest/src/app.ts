// email-ingest as values: the ingest dependencies both entry points share, and the daemon
// that consumes SES inbound notifications from mailinbound.
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { InboundMailRef } from "@isikhnas/contracts";
import {
  createBuckets,
  createProducer,
  type Daemon,
  type Database,
  type Logger,
  type Metrics,
  QueueConsumer,
  queueDaemon,
} from "@isikhnas/platform";
import { type BlankTemplates, createBlankTemplates } from "./blank-templates.js";
import type { IngestConfig } from "./config.js";
import { createMailInboundHandler, parseMailInboundMessage } from "./inbound-handler.js";
import type { IngestDeps } from "./ingest.js";
import type { Routes } from "./routes.js";

export interface AppDeps {
  config: IngestConfig;
  logger: Logger;
  sqs: SQSClient;
  s3: S3Client;
  /** The live database, and the training one when the training alias is configured. */
  databases: { live: Database; training?: Database | undefined };
  metrics?: Metrics | undefined;
  blankTemplates?: BlankTemplates | undefined;
}

export function buildIngestDeps(deps: AppDeps): IngestDeps {
  const { config } = deps;
  const routes: Routes = {
    live: { environment: "live", address: config.INGEST_ADDRESS_LIVE, db: deps.databases.live },
    ...(config.INGEST_ADDRESS_TRAINING && deps.databases.training
      ? {
          training: {
            environment: "training",
            address: config.INGEST_ADDRESS_TRAINING,
            db: deps.databases.training,
          },
        }
      : {}),
  };
  const buckets = createBuckets({ s3: deps.s3 }, { prefix: config.RESOURCE_PREFIX });
  return {
    buckets,
    producer: createProducer({ sqs: deps.sqs, logger: deps.logger }, { prefix: config.RESOURCE_PREFIX }),
    routes,
    logger: deps.logger,
    settings: {
      maxMailBytes: config.MAIL_MAX_BYTES,
      maxAttachmentBytes: config.ATTACHMENT_MAX_BYTES,
      maxMailParts: config.MAIL_MAX_PARTS,
      systemTag: config.SYSTEM_TAG,
      trainingSystemTag: config.TRAINING_SYSTEM_TAG,
      authservId: config.AUTHSERV_ID,
    },
    blankTemplates: deps.blankTemplates ?? createBlankTemplates(),
  };
}

export interface IngestDaemon extends Daemon {
  /** The health port, once started. */
  readonly httpPort: number | undefined;
}

export function createApp(deps: AppDeps): IngestDaemon {
  const { config, logger } = deps;
  const ingest = buildIngestDeps(deps);
  const consumer = new QueueConsumer<InboundMailRef[]>(
    { sqs: deps.sqs, logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
    {
      queue: "mailinbound",
      prefix: config.RESOURCE_PREFIX,
      schema: parseMailInboundMessage,
      handler: createMailInboundHandler({ ...ingest, s3: deps.s3 }),
      concurrency: config.INGEST_CONCURRENCY,
      visibilityTimeoutSeconds: config.MAILINBOUND_VISIBILITY_SECONDS,
    },
  );
  return queueDaemon({
    consumer,
    queue: "mailinbound",
    sqs: deps.sqs,
    prefix: config.RESOURCE_PREFIX,
    databases: deps.databases,
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    metrics: deps.metrics,
  });
}
