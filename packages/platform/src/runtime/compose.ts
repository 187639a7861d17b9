// A daemon assembled from its parts: workers (queue consumers, pollers) started in order
// and stopped in reverse, a health server that reports not-ready from the moment stopping
// begins, and clients closed last. Every queue daemon has this shape; it lives here once.
import type { SQSClient } from "@aws-sdk/client-sqs";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { Database } from "../db/database.js";
import { queueUrl } from "../queue/urls.js";
import {
  type HealthServer,
  type HealthServerOptions,
  type ReadinessCheck,
  startHealthServer,
} from "./http.js";
import type { Daemon } from "./lifecycle.js";
import type { Metrics } from "./metrics.js";

export interface DaemonPart {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ComposeDaemonOptions {
  /** Started in order, stopped in reverse order. */
  parts: readonly DaemonPart[];
  /** Opens /healthz, /readyz and /metrics when given. */
  health?: Omit<HealthServerOptions, "isAccepting"> | undefined;
  /** Closed in order once every part has stopped (database pools, mailers). */
  close?: readonly (() => Promise<void>)[];
}

export interface ComposedDaemon extends Daemon {
  /** The health port once started (0 in the options picks a free one). */
  readonly httpPort: number | undefined;
}

export function composeDaemon(options: ComposeDaemonOptions): ComposedDaemon {
  let health: HealthServer | undefined;
  let accepting = false;
  let stopped: Promise<void> | undefined;
  return {
    get httpPort() {
      return health?.port;
    },
    async start() {
      for (const part of options.parts) await part.start();
      accepting = true;
      if (options.health)
        health = await startHealthServer({ ...options.health, isAccepting: () => accepting });
    },
    stop() {
      stopped ??= (async () => {
        accepting = false;
        for (const part of [...options.parts].reverse()) await part.stop();
        await health?.close();
        for (const close of options.close ?? []) await close();
      })();
      return stopped;
    },
  };
}

/** Readiness: the queue exists and answers (one cheap attribute read). */
export function queueReachable(sqs: SQSClient, prefix: string, queue: string): ReadinessCheck {
  return async () => {
    const url = await queueUrl(sqs, prefix, queue);
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
    return true;
  };
}

export interface QueueDaemonOptions {
  /** The consumer (or any worker) that does the daemon's work. */
  consumer: DaemonPart;
  /** The queue it consumes, checked by /readyz. */
  queue: string;
  sqs: SQSClient;
  prefix: string;
  /** The live database and, for daemons serving the training Sidecar too, its database. */
  databases: { live: Database; training?: Database | undefined };
  http: { port: number; host: string };
  /** Without metrics there is no health server (tests that need none). */
  metrics?: Metrics | undefined;
  /** Closed after the consumer stops, before the databases (mailers, clients). */
  close?: readonly (() => Promise<void>)[];
}

/** The shape every queue daemon shares: one consumer, readiness of its queue and databases. */
export function queueDaemon(options: QueueDaemonOptions): ComposedDaemon {
  const databases = Object.entries({
    database: options.databases.live,
    trainingDatabase: options.databases.training,
  }).filter((entry): entry is [string, Database] => entry[1] !== undefined);
  return composeDaemon({
    parts: [options.consumer],
    health: options.metrics && {
      port: options.http.port,
      host: options.http.host,
      registry: options.metrics.registry,
      checks: {
        ...Object.fromEntries(databases.map(([name, db]) => [name, () => db.ping()])),
        queue: queueReachable(options.sqs, options.prefix, options.queue),
      },
    },
    close: [
      ...(options.close ?? []),
      ...databases.map(
        ([, db]) =>
          () =>
            db.close(),
      ),
    ],
  });
}
