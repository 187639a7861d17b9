// A daemon assembled from its parts: workers (queue consumers, pollers) started in order
// and stopped in reverse, a health server that reports not-ready from the moment stopping
// begins, and clients closed last. Every queue daemon has this shape; it lives here once.
import type { SQSClient } from "@aws-sdk/client-sqs";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { queueUrl } from "../queue/urls.js";
import {
  type HealthServer,
  type HealthServerOptions,
  type ReadinessCheck,
  startHealthServer,
} from "./http.js";
import type { Daemon } from "./lifecycle.js";

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
