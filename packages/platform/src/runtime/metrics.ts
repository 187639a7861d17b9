// Prometheus metrics every daemon exposes on /metrics. One registry per daemon so tests
// can run several daemons in one process.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  readonly received: Counter<"queue">;
  readonly done: Counter<"queue">;
  readonly retried: Counter<"queue">;
  readonly rejected: Counter<"queue">;
  readonly timedOut: Counter<"queue">;
  readonly deadLettered: Counter<"queue" | "reason">;
  readonly handlerSeconds: Histogram<"queue" | "outcome">;
  readonly inFlight: Gauge<"queue">;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    received: new Counter({
      name: "messages_received_total",
      help: "Queue messages received",
      labelNames: ["queue"],
      registers,
    }),
    done: new Counter({
      name: "messages_done_total",
      help: "Queue messages handled and deleted",
      labelNames: ["queue"],
      registers,
    }),
    retried: new Counter({
      name: "messages_retried_total",
      help: "Queue messages left for a later retry",
      labelNames: ["queue"],
      registers,
    }),
    rejected: new Counter({
      name: "messages_rejected_total",
      help: "Queue messages rejected as bad input (answered, then deleted)",
      labelNames: ["queue"],
      registers,
    }),
    timedOut: new Counter({
      name: "messages_timed_out_total",
      help: "Queue messages released because their handler overran its deadline",
      labelNames: ["queue"],
      registers,
    }),
    deadLettered: new Counter({
      name: "messages_dead_lettered_total",
      help: "Queue messages sent to the dead-letter queue by the consumer",
      labelNames: ["queue", "reason"],
      registers,
    }),
    handlerSeconds: new Histogram({
      name: "handler_duration_seconds",
      help: "Time spent in message handlers",
      labelNames: ["queue", "outcome"],
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    inFlight: new Gauge({
      name: "messages_in_flight",
      help: "Queue messages being handled now",
      labelNames: ["queue"],
      registers,
    }),
  };
}
