// The age of each queue's oldest message, read without receiving anything: a receive
// would count towards the message's way to the dead-letter queue.
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { z } from "zod";
import type { AwsConfig } from "../config/common.js";
import { physicalQueueName } from "../resources.js";

/** Seconds per logical queue name; a queue with nothing in it is absent. */
export type QueueAges = (queues: readonly string[]) => Promise<Map<string, number>>;

const inspection = z.object({
  messages: z.object({
    ready: z.array(z.object({ sentTimestamp: z.number() })),
    delayed: z.array(z.object({ sentTimestamp: z.number() })),
    inflight: z.array(z.object({ message: z.object({ sentTimestamp: z.number() }) })),
  }),
});

/**
 * The local stack's SQS emulator (fauxqs) lists a queue's messages without touching them
 * at `GET /_fauxqs/queues/<name>`.
 */
export function emulatorQueueAges(endpoint: string, prefix: string, now: () => number = Date.now): QueueAges {
  return async (queues) => {
    const ages = new Map<string, number>();
    await Promise.all(
      queues.map(async (queue) => {
        const url = new URL(`/_fauxqs/queues/${physicalQueueName(prefix, queue)}`, endpoint);
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
        const { messages } = inspection.parse(await response.json());
        const sent = [
          ...messages.ready.map((message) => message.sentTimestamp),
          ...messages.delayed.map((message) => message.sentTimestamp),
          ...messages.inflight.map((entry) => entry.message.sentTimestamp),
        ];
        if (sent.length > 0) ages.set(queue, Math.max(0, (now() - Math.min(...sent)) / 1000));
      }),
    );
    return ages;
  };
}

/** SQS's own figure on AWS: the latest minute of ApproximateAgeOfOldestMessage. */
export function cloudWatchQueueAges(cloudWatch: CloudWatchClient, prefix: string): QueueAges {
  return async (queues) => {
    const end = new Date();
    const result = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 15 * 60_000),
        EndTime: end,
        ScanBy: "TimestampDescending",
        MetricDataQueries: queues.map((queue, index) => ({
          Id: `q${index}`,
          MetricStat: {
            Metric: {
              Namespace: "AWS/SQS",
              MetricName: "ApproximateAgeOfOldestMessage",
              Dimensions: [{ Name: "QueueName", Value: physicalQueueName(prefix, queue) }],
            },
            Period: 60,
            Stat: "Maximum",
          },
        })),
      }),
    );
    const ages = new Map<string, number>();
    for (const series of result.MetricDataResults ?? []) {
      const queue = queues[Number(series.Id?.slice(1))];
      const latest = series.Values?.[0];
      if (queue !== undefined && latest !== undefined && latest > 0) ages.set(queue, latest);
    }
    return ages;
  };
}

export const QUEUE_AGE_SOURCES = ["cloudwatch", "emulator", "none"] as const;
export type QueueAgeSource = (typeof QUEUE_AGE_SOURCES)[number];

/**
 * Queue ages from the given source or, unset, the one that fits: the emulator's inspection
 * when an SQS endpoint is configured (the local stack), CloudWatch in the configured region
 * otherwise (AWS). `ages` is absent for "none"; `close` frees the client.
 */
export function createQueueAges(
  config: Pick<AwsConfig, "AWS_REGION" | "AWS_ENDPOINT_URL" | "AWS_ENDPOINT_URL_SQS" | "RESOURCE_PREFIX">,
  configured?: QueueAgeSource,
): { source: QueueAgeSource; ages: QueueAges | undefined; close: () => void } {
  const endpoint = config.AWS_ENDPOINT_URL_SQS ?? config.AWS_ENDPOINT_URL;
  const source = configured ?? (endpoint ? "emulator" : "cloudwatch");
  switch (source) {
    case "emulator":
      if (!endpoint)
        throw new Error("queue ages from the emulator need an SQS endpoint (AWS_ENDPOINT_URL_SQS)");
      return { source, ages: emulatorQueueAges(endpoint, config.RESOURCE_PREFIX), close: () => {} };
    case "cloudwatch": {
      const cloudWatch = new CloudWatchClient({ region: config.AWS_REGION });
      return {
        source,
        ages: cloudWatchQueueAges(cloudWatch, config.RESOURCE_PREFIX),
        close: () => cloudWatch.destroy(),
      };
    }
    case "none":
      return { source, ages: undefined, close: () => {} };
  }
}
