// email-sender as a value: the emailoutput consumer, the shared rate limit and the
// health port, started and stopped together.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  createBuckets,
  createConsumer,
  createProducer,
  type Daemon,
  type Database,
  type Logger,
  type Mailer,
  type Metrics,
  queueDaemon,
} from "@isikhnas/platform";
import { Counter } from "prom-client";
import type { SenderConfig } from "./config.js";
import { createRateLimiter } from "./rate-limit.js";
import { createSendHandler } from "./send-handler.js";

export interface AppDeps {
  config: SenderConfig;
  logger: Logger;
  sqs: SQSClient;
  s3: S3Client;
  db: Database;
  mailer: Mailer;
  metrics?: Metrics | undefined;
}

export interface SenderDaemon extends Daemon {
  readonly httpPort: number | undefined;
}

export function createApp(deps: AppDeps): SenderDaemon {
  const { config, logger } = deps;
  const recipients = deps.metrics
    ? new Counter({
        name: "email_recipients_total",
        help: "Recipients of outgoing mail by result",
        labelNames: ["result"],
        registers: [deps.metrics.registry],
      })
    : undefined;
  const producer = createProducer({ sqs: deps.sqs, logger }, { prefix: config.RESOURCE_PREFIX });
  const handler = createSendHandler({
    db: deps.db,
    mailer: deps.mailer,
    buckets: createBuckets({ s3: deps.s3 }, { prefix: config.RESOURCE_PREFIX }),
    limiter: createRateLimiter(deps.db, {
      account: config.SEND_ACCOUNT,
      ratePerSecond: config.SEND_RATE_PER_SECOND,
      burst: config.SEND_BURST,
    }),
    logger,
    requeue: async (message, options) => {
      await producer.send("emailoutput", message, options);
    },
    settings: {
      concurrency: config.SEND_CONCURRENCY,
      leaseSeconds: config.SEND_LEASE_SECONDS,
      maxAttempts: config.SEND_MAX_ATTEMPTS,
      inlineRetryMs: config.SEND_INLINE_RETRY_SECONDS * 1000,
      maxRecipients: config.MAX_RECIPIENTS,
      claimant: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    },
    ...(recipients ? { onResult: (result) => recipients.inc({ result }) } : {}),
  });
  const consumer = createConsumer(
    { sqs: deps.sqs, logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
    {
      queue: "emailoutput",
      prefix: config.RESOURCE_PREFIX,
      handler,
      concurrency: config.EMAILOUTPUT_CONCURRENCY,
      visibilityTimeoutSeconds: config.EMAILOUTPUT_VISIBILITY_SECONDS,
    },
  );
  return queueDaemon({
    consumer,
    queue: "emailoutput",
    sqs: deps.sqs,
    prefix: config.RESOURCE_PREFIX,
    databases: { live: deps.db },
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    metrics: deps.metrics,
    close: [() => deps.mailer.close()],
  });
}
