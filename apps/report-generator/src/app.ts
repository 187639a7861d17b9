// report-generator as a value: the reportrequest consumer, the schedule's ticker, and the
// health and metrics port.
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  composeDaemon,
  createBuckets,
  createConsumer,
  createProducer,
  type Daemon,
  type Database,
  type Logger,
  type Metrics,
  type QueueProducer,
  queueReachable,
} from "@isikhnas/platform";
import type { GeneratorConfig } from "./config.js";
import { createReportHandler } from "./handler.js";
import { createTicker } from "./ticker.js";

export interface AppDeps {
  config: GeneratorConfig;
  logger: Logger;
  sqs: SQSClient;
  s3: S3Client;
  databases: { live: Database; training?: Database | undefined };
  metrics?: Metrics | undefined;
  /** The schedule's clock (tests run a period's tick at a chosen time). */
  clock?: () => Date;
  /** Defaults to an SQS producer under the prefix; tests wrap it to fail a step midway. */
  producer?: Pick<QueueProducer, "send" | "sendBatch">;
}

export interface GeneratorDaemon extends Daemon {
  readonly httpPort: number | undefined;
}

export function createApp(deps: AppDeps): GeneratorDaemon {
  const { config, logger } = deps;
  const buckets = createBuckets({ s3: deps.s3 }, { prefix: config.RESOURCE_PREFIX });
  const producer =
    deps.producer ?? createProducer({ sqs: deps.sqs, logger }, { prefix: config.RESOURCE_PREFIX });
  const handler = createReportHandler(
    {
      databases: deps.databases,
      reports: buckets.reports,
      producer,
      ...(deps.clock ? { clock: deps.clock } : {}),
    },
    {
      hostId: config.REPORT_HOST_ID,
      leaseSeconds: config.REPORT_LEASE_SECONDS,
      replicaRetrySeconds: config.REPORT_REPLICA_RETRY_SECONDS,
      maxAttempts: config.REPORT_MAX_ATTEMPTS,
      attachMaxBytes: config.REPORT_ATTACH_MAX_BYTES,
      linkDays: config.REPORT_LINK_DAYS,
      systemTags: { live: config.SYSTEM_TAG, training: config.TRAINING_SYSTEM_TAG },
    },
  );
  const consumer = createConsumer(
    { sqs: deps.sqs, logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
    {
      queue: "reportrequest",
      prefix: config.RESOURCE_PREFIX,
      handler,
      concurrency: config.REPORT_CONCURRENCY,
      visibilityTimeoutSeconds: config.REPORTREQUEST_VISIBILITY_SECONDS,
    },
  );
  const ticker = createTicker(
    { databases: deps.databases, producer, logger, ...(deps.clock ? { clock: deps.clock } : {}) },
    {
      everySeconds: config.REPORT_SCHEDULES ? config.REPORT_TICK_SECONDS : 0,
      backfillDays: config.REPORT_BACKFILL_DAYS,
      requeueSeconds: config.REPORT_REQUEUE_SECONDS,
    },
  );
  // By name: a Databases value also carries its close().
  const databases = (
    [
      ["database", deps.databases.live],
      ["trainingDatabase", deps.databases.training],
    ] as const
  ).flatMap(([name, db]): [string, Database][] => (db ? [[name, db]] : []));
  return composeDaemon({
    parts: [consumer, ticker],
    health: deps.metrics && {
      port: config.HTTP_PORT,
      host: config.HTTP_HOST,
      registry: deps.metrics.registry,
      checks: {
        ...Object.fromEntries(databases.map(([name, db]) => [name, () => db.ping()])),
        queue: queueReachable(deps.sqs, config.RESOURCE_PREFIX, "reportrequest"),
      },
    },
    close: databases.map(
      ([, db]) =>
        () =>
          db.close(),
    ),
  });
}
