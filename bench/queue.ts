// Queue layer throughput against the SQS emulator: a bare SDK loop (receive ten, delete
// ten) beside the QueueConsumer with a no-op handler at comparable concurrency. The
// emulator runs in this process, so a loop's rate is the inverse of its CPU time per
// message, the emulator's included: that CPU time is printed too, as the figure a busy
// machine's load disturbs least.
// Run: npm run bench:queue [-- --messages 5000 --loops 3 --rounds 3]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { MessageInputOf } from "@isikhnas/contracts";
import { startEmulators, waitFor } from "@isikhnas/devstack";
import {
  createConsumer,
  createLogger,
  createMetrics,
  createProducer,
  createSqsClient,
  outcome,
  provisionQueue,
} from "@isikhnas/platform";
import { against, recordFigures } from "./figures.js";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "5000" },
    /** Concurrent receive loops of the bare baseline; the consumer gets ten slots per loop. */
    loops: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
  },
});
const messages = Number(args.messages);
const loops = Number(args.loops);
const rounds = Number(args.rounds);

function mail(index: number): MessageInputOf<"emailoutput"> {
  return {
    type: "emailoutput",
    version: 1,
    id: `bench-${index}`,
    environment: "live",
    to: ["vet@example.id"],
    subject: "Laporan mingguan",
    text: "Ringkasan laporan penyakit hewan minggu ini.",
  };
}

async function fill(sqs: SQSClient, prefix: string): Promise<string> {
  const queue = await provisionQueue(sqs, prefix, "emailoutput");
  const producer = createProducer({ sqs }, { prefix });
  await producer.sendBatch(
    "emailoutput",
    Array.from({ length: messages }, (_, index) => mail(index)),
  );
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  const depth = Number(attributes.Attributes?.ApproximateNumberOfMessages);
  if (depth !== messages) throw new Error(`expected ${messages} messages, found ${depth}`);
  return queue.url;
}

async function bare(sqs: SQSClient, url: string): Promise<number> {
  let handled = 0;
  const started = performance.now();
  const loop = async () => {
    while (handled < messages) {
      const result = await sqs.send(
        // The queue is full: no long poll, which would leave loops waiting after the last message.
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      const received = result.Messages ?? [];
      if (received.length === 0) continue;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: received.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      handled += received.length;
    }
  };
  await Promise.all(Array.from({ length: loops }, loop));
  return (performance.now() - started) / 1000;
}

async function layered(sqs: SQSClient, prefix: string): Promise<number> {
  const metrics = createMetrics({ defaultMetrics: false });
  const consumer = createConsumer(
    { sqs, logger: createLogger({ name: "bench", level: "silent" }), metrics },
    { queue: "emailoutput", prefix, concurrency: loops * 10, handler: async () => outcome.done() },
  );
  const started = performance.now();
  await consumer.start();
  // `done` counts messages whose delete SQS confirmed.
  await waitFor(async () => ((await metrics.done.get()).values[0]?.value ?? 0) >= messages, {
    timeoutMs: 30 * 60_000,
    intervalMs: 5,
    description: "every message handled and deleted",
  });
  const seconds = (performance.now() - started) / 1000;
  await consumer.stop();
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const emulators = await startEmulators();
const sqs = createSqsClient({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SQS: emulators.awsEndpoint });
try {
  console.log(
    `${messages} messages, ${loops} bare loops vs consumer concurrency ${loops * 10}, ${rounds} rounds`,
  );
  const bareRates: number[] = [];
  const layerRates: number[] = [];
  const bareCpu: number[] = [];
  const layerCpu: number[] = [];
  /** Microseconds of this process's CPU (all threads) per message while `run` ran. */
  const timed = async (run: () => Promise<number>, cpu: number[]) => {
    const before = process.cpuUsage();
    const seconds = await run();
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / messages);
    return messages / seconds;
  };
  // One untimed round of each first: the first rounds ran with code still being compiled
  // (CPU a message fell by half from the first round to the third).
  await bare(sqs, await fill(sqs, "bench-bare-warm-"));
  await fill(sqs, "bench-layer-warm-");
  await layered(sqs, "bench-layer-warm-");
  for (let round = 1; round <= rounds; round++) {
    const bareUrl = await fill(sqs, `bench-bare-${round}-`);
    const bareRate = await timed(() => bare(sqs, bareUrl), bareCpu);
    await fill(sqs, `bench-layer-${round}-`);
    const layerRate = await timed(() => layered(sqs, `bench-layer-${round}-`), layerCpu);
    bareRates.push(bareRate);
    layerRates.push(layerRate);
    console.log(
      `round ${round}: bare ${bareRate.toFixed(0)} msgs/s (${bareCpu.at(-1)?.toFixed(0)} µs CPU/msg), ` +
        `consumer ${layerRate.toFixed(0)} msgs/s (${layerCpu.at(-1)?.toFixed(0)} µs CPU/msg); load ${loadavg()[0]?.toFixed(1)}`,
    );
  }
  const bareMedian = median(bareRates);
  const layerMedian = median(layerRates);
  console.log(
    `median: bare SDK loop ${bareMedian.toFixed(0)} msgs/s, ${median(bareCpu).toFixed(0)} µs CPU/msg`,
  );
  console.log(
    `median: QueueConsumer   ${layerMedian.toFixed(0)} msgs/s, ${median(layerCpu).toFixed(0)} µs CPU/msg`,
  );
  console.log(`consumer / bare: ${((layerMedian / bareMedian) * 100).toFixed(0)}%`);
  recordFigures([
    against("queue.consumer", layerMedian, "msg/s", "bare SDK receive/delete loop", bareMedian),
    against(
      "queue.consumer.cpu",
      median(layerCpu),
      "µs CPU/msg",
      "bare SDK receive/delete loop",
      median(bareCpu),
    ),
  ]);
} finally {
  sqs.destroy();
  await emulators.stop();
}
