import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { type MessageInputOf, parseMailInbound } from "@isikhnas/contracts";
import { createTestStack, type TestStack, waitFor, waitForQueueDrained } from "@isikhnas/devstack/testing";
import type { Counter } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSqsClient } from "../aws/clients.js";
import { PlatformError } from "../errors.js";
import { createLogger } from "../logger.js";
import { provisionQueue } from "../provision.js";
import { createMetrics, type Metrics } from "../runtime/metrics.js";
import { listDeadLetters, queueStats, redrive } from "./admin.js";
import { type ConsumerOptions, createConsumer, QueueConsumer } from "./consumer.js";
import { outcome } from "./outcome.js";
import { createProducer } from "./producer.js";

const logger = createLogger({ name: "queue-test", level: "silent" });

function mail(id: string): MessageInputOf<"emailoutput"> {
  return {
    type: "emailoutput",
    version: 1,
    id,
    environment: "live",
    to: ["vet@example.id"],
    subject: "s",
    text: "t",
  };
}

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

async function total(counter: Counter<string>): Promise<number> {
  return (await counter.get()).values.reduce((sum, value) => sum + value.value, 0);
}

describe("QueueConsumer", () => {
  let stack: TestStack;
  let queues = 0;
  const running: QueueConsumer<unknown>[] = [];

  beforeAll(async () => {
    stack = await createTestStack({ database: false });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  });
  afterAll(async () => {
    await stack.close();
  });

  /** Queues of the test's own under a fresh prefix. */
  async function setUp(options: { maxReceiveCount?: number; queue?: string } = {}) {
    const prefix = `${stack.prefix}${++queues}-`;
    const queue = options.queue ?? "emailoutput";
    const urls = await provisionQueue(stack.sqs, prefix, queue, {
      maxReceiveCount: options.maxReceiveCount ?? 5,
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const producer = createProducer({ sqs: stack.sqs }, { prefix });
    const stats = async () => (await queueStats(stack.sqs, prefix, [queue]))[0];
    return { prefix, urls, metrics, producer, stats };
  }

  function consume(
    prefix: string,
    metrics: Metrics,
    options: Omit<ConsumerOptions<MessageInputOf<"emailoutput">>, "queue" | "prefix" | "schema">,
  ) {
    const consumer = createConsumer(
      { sqs: stack.sqs, logger, metrics },
      {
        queue: "emailoutput",
        prefix,
        visibilityTimeoutSeconds: 30,
        retryBaseSeconds: 0,
        // A stop waits for the long poll under way.
        waitTimeSeconds: 1,
        ...options,
      },
    );
    running.push(consumer as QueueConsumer<unknown>);
    return consumer;
  }

  it("keeps a slow message hidden past its visibility timeout with a heartbeat, then deletes it", async () => {
    const { prefix, metrics, producer } = await setUp();
    await producer.send("emailoutput", mail("slow"));
    let calls = 0;
    const finished = deferred();
    const consumer = consume(prefix, metrics, {
      concurrency: 2,
      visibilityTimeoutSeconds: 2,
      heartbeatSeconds: 0.5,
      handler: async () => {
        calls++;
        // The behaviour under test is time itself: work that outlasts the visibility timeout.
        await sleep(5_000);
        finished.resolve();
        return outcome.done();
      },
    });
    await consumer.start();
    await finished.promise;
    await waitForQueueDrained({ sqs: stack.sqs, prefix }, "emailoutput");
    expect(calls).toBe(1);
    expect(await total(metrics.done)).toBe(1);
  });

  it("releases a message whose handler overruns its deadline instead of extending it forever", async () => {
    const { prefix, metrics, producer } = await setUp();
    await producer.send("emailoutput", mail("hung"));
    const counts: number[] = [];
    let firstAborted: unknown;
    const consumer = consume(prefix, metrics, {
      concurrency: 1,
      visibilityTimeoutSeconds: 2,
      heartbeatSeconds: 0.5,
      handlerTimeoutSeconds: 1,
      handler: async (_message, { receiveCount, signal }) => {
        counts.push(receiveCount);
        if (receiveCount > 1) return outcome.done();
        signal.addEventListener("abort", () => {
          firstAborted = signal.reason;
        });
        // A hung call that ignores its signal: it never settles.
        return new Promise<never>(() => {});
      },
    });
    await consumer.start();
    await waitFor(async () => (await total(metrics.done)) === 1, { description: "the redelivery handled" });
    await waitForQueueDrained({ sqs: stack.sqs, prefix }, "emailoutput");
    expect(counts).toEqual([1, 2]);
    expect(firstAborted).toMatchObject({ code: "TRANSIENT", message: expect.stringContaining("deadline") });
    expect(await total(metrics.retried)).toBe(1);
    expect(await total(metrics.timedOut)).toBe(1);
    // The slot of the hung handler is free again: the consumer takes new work.
    expect(consumer.inFlight).toBe(0);
  });

  it("lets a handler that reports progress run past its deadline", async () => {
    const { prefix, metrics, producer } = await setUp();
    await producer.send("emailoutput", mail("long"));
    let calls = 0;
    const consumer = consume(prefix, metrics, {
      concurrency: 1,
      visibilityTimeoutSeconds: 2,
      heartbeatSeconds: 0.5,
      handlerTimeoutSeconds: 1.5,
      handler: async (_message, { progress, signal }) => {
        calls++;
        // The behaviour under test is time itself: steady work that outlasts the deadline.
        for (let step = 0; step < 20; step++) {
          await sleep(200);
          if (signal.aborted) throw signal.reason;
          progress();
        }
        return outcome.done();
      },
    });
    await consumer.start();
    await waitFor(async () => (await total(metrics.done)) === 1, { description: "the long work done" });
    expect(calls).toBe(1);
    expect(await total(metrics.timedOut)).toBe(0);
    expect(await total(metrics.retried)).toBe(0);
  });

  it("dead-letters a failing message after maxReceiveCount receives, and redrive brings it back", async () => {
    const { prefix, metrics, producer, stats } = await setUp({ maxReceiveCount: 2 });
    await producer.send("emailoutput", mail("failing"), { correlationId: "corr-failing" });
    let calls = 0;
    const consumer = consume(prefix, metrics, {
      concurrency: 1,
      handler: async () => {
        calls++;
        throw new Error("database unavailable");
      },
    });
    await consumer.start();
    await waitFor(async () => (await stats())?.deadLetterDepth === 1);
    await consumer.stop();
    expect(calls).toBe(2);
    expect(await total(metrics.retried)).toBe(2);

    const [letter, ...others] = await listDeadLetters(stack.sqs, prefix, "emailoutput");
    expect(others).toEqual([]);
    // Moved by the redrive policy, not by the consumer: no reason attribute.
    expect(letter?.reason).toBeUndefined();
    expect(letter?.correlationId).toBe("corr-failing");
    expect(letter?.bodyPreview).toContain('"id":"failing"');

    expect(await redrive(stack.sqs, prefix, "emailoutput")).toEqual({ moved: 1, failed: 0 });
    const after = await stats();
    // Back on its queue. It may count as in flight: the stopped consumer's aborted long
    // poll can still be answered on the emulator's side.
    expect((after?.depth ?? 0) + (after?.inFlight ?? 0)).toBe(1);
    expect(after?.deadLetterDepth).toBe(0);
  });

  it("sends a schema-invalid message straight to the dead-letter queue with its reason", async () => {
    const { prefix, urls, metrics, stats } = await setUp();
    const send = (body: string) =>
      stack.sqs.send(
        new SendMessageCommand({
          QueueUrl: urls.url,
          MessageBody: body,
          MessageAttributes: { correlationId: { DataType: "String", StringValue: `corr-${body.length}` } },
        }),
      );
    await send("not json {");
    await send(JSON.stringify({ type: "emailoutput", version: 1, id: "no-recipients", environment: "live" }));
    await send(JSON.stringify({ type: "smsblast", version: 1 }));
    let calls = 0;
    const consumer = consume(prefix, metrics, {
      concurrency: 3,
      handler: async () => {
        calls++;
        return outcome.done();
      },
    });
    await consumer.start();
    await waitFor(async () => {
      const now = await stats();
      return now?.deadLetterDepth === 3 && now.depth === 0 && now.inFlight === 0;
    });
    expect(calls).toBe(0);
    const letters = await listDeadLetters(stack.sqs, prefix, "emailoutput", { max: 10 });
    const reasons = letters.map((letter) => letter.reason ?? "").sort();
    expect(reasons).toHaveLength(3);
    expect(reasons.every((reason) => reason.startsWith("invalid message: "))).toBe(true);
    expect(reasons.some((reason) => reason.includes("body is not JSON"))).toBe(true);
    expect(reasons.some((reason) => reason.includes("subject"))).toBe(true);
    expect(reasons.some((reason) => reason.includes("type"))).toBe(true);
    // The original attributes travel with it.
    expect(letters.every((letter) => letter.correlationId?.startsWith("corr-"))).toBe(true);
    expect(await total(metrics.deadLettered)).toBe(3);
  });

  it("dead-letters at once when the handler throws a PERMANENT error", async () => {
    const { prefix, metrics, producer, stats } = await setUp();
    await producer.send("emailoutput", mail("unsendable"));
    let calls = 0;
    const consumer = consume(prefix, metrics, {
      concurrency: 1,
      handler: async () => {
        calls++;
        throw new PlatformError("PERMANENT", "recipient list object is gone");
      },
    });
    await consumer.start();
    await waitFor(async () => (await stats())?.deadLetterDepth === 1);
    expect(calls).toBe(1);
    const [letter] = await listDeadLetters(stack.sqs, prefix, "emailoutput");
    expect(letter?.reason).toBe("PERMANENT: recipient list object is gone");
  });

  it("never runs more handlers than its concurrency, and does reach it", async () => {
    const { prefix, metrics, producer } = await setUp();
    const count = 20;
    await producer.sendBatch(
      "emailoutput",
      Array.from({ length: count }, (_, index) => mail(`m${index}`)),
    );
    let current = 0;
    let highest = 0;
    let handled = 0;
    let waiting: (() => void)[] = [];
    const releaseWhenFull = () => {
      // Hold handlers until the limit is reached (or nothing more can arrive).
      if (current === 3 || handled + current === count) {
        for (const release of waiting.splice(0)) release();
      }
    };
    const all = deferred();
    const consumer = consume(prefix, metrics, {
      concurrency: 3,
      handler: async () => {
        current++;
        highest = Math.max(highest, current);
        const gate = new Promise<void>((resolve) => waiting.push(resolve));
        releaseWhenFull();
        await gate;
        current--;
        handled++;
        releaseWhenFull();
        if (handled === count) all.resolve();
        return outcome.done();
      },
    });
    await consumer.start();
    await all.promise;
    waiting = [];
    expect(highest).toBe(3);
  });

  it("has no batch barrier: one slow message does not hold up the others", async () => {
    const { prefix, metrics, producer } = await setUp();
    await producer.send("emailoutput", mail("slow"));
    await producer.sendBatch(
      "emailoutput",
      Array.from({ length: 6 }, (_, index) => mail(`fast${index}`)),
    );
    const slowGate = deferred();
    let fastDone = 0;
    let slowDone = false;
    const consumer = consume(prefix, metrics, {
      concurrency: 3,
      handler: async (message) => {
        if (message.id === "slow") {
          await slowGate.promise;
          slowDone = true;
        } else {
          fastDone++;
        }
        return outcome.done();
      },
    });
    await consumer.start();
    await waitFor(() => fastDone === 6, { description: "the fast messages, while the slow one runs" });
    expect(slowDone).toBe(false);
    slowGate.resolve();
    await waitFor(() => slowDone);
  });

  it("stops gracefully: finishes running work and releases what cannot finish in time", async () => {
    const { prefix, urls, metrics, producer, stats } = await setUp();
    await producer.sendBatch("emailoutput", [mail("quick"), mail("stuck")]);
    const started = new Set<string>();
    const quickGate = deferred();
    let stuckAborted = false;
    const consumer = consume(prefix, metrics, {
      concurrency: 2,
      shutdownTimeoutMs: 300,
      handler: async (message, { signal }) => {
        started.add(message.id);
        if (message.id === "quick") {
          await quickGate.promise;
        } else {
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
          stuckAborted = true;
        }
        return outcome.done();
      },
    });
    await consumer.start();
    await waitFor(() => started.size === 2);
    const stopping = consumer.stop();
    quickGate.resolve();
    await stopping;

    expect(stuckAborted).toBe(true);
    // The stuck message is visible again at once (the visibility timeout is 30 s).
    expect(await stats()).toMatchObject({ depth: 1, inFlight: 0 });
    const again = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.url, WaitTimeSeconds: 0 }));
    expect(again.Messages?.map((message) => JSON.parse(message.Body ?? "{}").id)).toEqual(["stuck"]);
    expect(await total(metrics.done)).toBe(1);
  });

  it("a stopped consumer's long poll takes no message sent after the stop: it comes at once to the next", async () => {
    const { prefix, urls, metrics, stats } = await setUp();
    // The consumer's own client, to see when its long polls are under way at the emulator.
    const sqs = createSqsClient({
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SQS: stack.env.AWS_ENDPOINT_URL_SQS,
    });
    const polling = new Map<symbol, number>();
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "ReceiveMessageCommand") return next(args);
        const poll = Symbol("receive");
        polling.set(poll, performance.now());
        try {
          return await next(args);
        } finally {
          polling.delete(poll);
        }
      },
      { step: "initialize", name: "watchLongPolls" },
    );
    const handled: string[] = [];
    const consumer = new QueueConsumer(
      { sqs, logger, metrics },
      {
        queue: "emailoutput",
        prefix,
        concurrency: 10,
        visibilityTimeoutSeconds: 30,
        waitTimeSeconds: 5,
        handler: async (message: MessageInputOf<"emailoutput">) => {
          handled.push(message.id);
          return outcome.done();
        },
      },
    );
    try {
      await consumer.start();
      // Idle, it has one receive under way (it asks for every free slot), long enough for the
      // emulator to have taken it in.
      await waitFor(
        () => polling.size > 0 && [...polling.values()].every((since) => performance.now() - since > 250),
        { description: "its receive waiting in a long poll" },
      );
      const stopping = consumer.stop();
      await createProducer({ sqs: stack.sqs }, { prefix }).send("emailoutput", mail("after-stop"));
      await stopping;

      expect(handled).toEqual([]);
      // Visible at once: not hidden for 30 s by a receive nobody reads any more.
      expect(await stats()).toMatchObject({ depth: 1, inFlight: 0 });
      const next = await stack.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: urls.url, WaitTimeSeconds: 0 }),
      );
      expect(next.Messages?.map((message) => JSON.parse(message.Body ?? "{}").id)).toEqual(["after-stop"]);
    } finally {
      await consumer.stop();
      sqs.destroy();
    }
  });

  it("deletes a rejected message and counts it", async () => {
    const { prefix, metrics, producer, stats } = await setUp();
    await producer.send("emailoutput", mail("bad-recipient"));
    const consumer = consume(prefix, metrics, {
      concurrency: 1,
      handler: async () => outcome.reject("recipient unknown; sender answered"),
    });
    await consumer.start();
    await waitFor(async () => (await total(metrics.rejected)) === 1);
    await waitForQueueDrained({ sqs: stack.sqs, prefix }, "emailoutput");
    expect(await stats()).toMatchObject({ deadLetterDepth: 0 });
  });

  it("shows a message again after retryLater, with its receive count", async () => {
    const { prefix, metrics, producer } = await setUp();
    await producer.send("emailoutput", mail("later"));
    const counts: number[] = [];
    const consumer = consume(prefix, metrics, {
      concurrency: 1,
      handler: async (_message, { receiveCount }) => {
        counts.push(receiveCount);
        return receiveCount === 1 ? outcome.retryLater({ delaySeconds: 0 }) : outcome.done();
      },
    });
    await consumer.start();
    await waitFor(async () => (await total(metrics.done)) === 1);
    expect(counts).toEqual([1, 2]);
    expect(await total(metrics.retried)).toBe(1);
  });

  it("reads AWS's own notifications with a parse function (raw-body mode)", async () => {
    const { prefix, urls, metrics, stats } = await setUp({ queue: "mailinbound" });
    const s3Event = {
      Records: [
        {
          eventSource: "aws:s3",
          eventName: "ObjectCreated:Put",
          s3: { bucket: { name: "prod-rawmail" }, object: { key: "inbound/m1" } },
        },
      ],
    };
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: urls.url, MessageBody: JSON.stringify(s3Event) }),
    );
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: urls.url, MessageBody: JSON.stringify({ hello: 1 }) }),
    );
    const keys: string[] = [];
    const consumer = new QueueConsumer(
      { sqs: stack.sqs, logger, metrics },
      {
        queue: "mailinbound",
        waitTimeSeconds: 1,
        prefix,
        concurrency: 2,
        schema: (body: unknown) => {
          const result = parseMailInbound(body);
          return result.ok ? { ok: true, value: result.mails } : result;
        },
        handler: async (mails) => {
          keys.push(...mails.map((mailRef) => mailRef.key));
          return outcome.done();
        },
      },
    );
    running.push(consumer as QueueConsumer<unknown>);
    await consumer.start();
    await waitFor(async () => (await stats())?.deadLetterDepth === 1 && keys.length === 1);
    expect(keys).toEqual(["inbound/m1"]);
    const [letter] = await listDeadLetters(stack.sqs, prefix, "mailinbound");
    expect(letter?.reason).toBe("invalid message: neither an SNS notification nor an S3 event");
  });

  it("backs off, doubling, when receiving fails instead of spinning", async () => {
    const { prefix, urls, metrics } = await setUp();
    const backoffs: number[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        const line = JSON.parse(String(chunk)) as { msg?: string; backoffMs?: number };
        if (line.msg === "receive failed; backing off" && line.backoffMs !== undefined)
          backoffs.push(line.backoffMs);
        callback();
      },
    });
    const consumer = new QueueConsumer(
      { sqs: stack.sqs, logger: createLogger({ name: "test", level: "warn", destination }), metrics },
      { queue: "emailoutput", prefix, concurrency: 1, handler: async () => outcome.done() },
    );
    running.push(consumer as QueueConsumer<unknown>);
    await consumer.start();
    await stack.sqs.send(new DeleteQueueCommand({ QueueUrl: urls.url }));
    await waitFor(() => backoffs.length >= 2, { description: "two failed receives" });
    expect(backoffs.slice(0, 2)).toEqual([500, 1000]);
    await consumer.stop();
  });
});
