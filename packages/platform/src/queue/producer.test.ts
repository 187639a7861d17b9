import { Writable } from "node:stream";
import type { MessageInputOf } from "@isikhnas/contracts";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPlatformError } from "../errors.js";
import { createLogger } from "../logger.js";
import { provisionQueue } from "../provision.js";
import { queueStats } from "./admin.js";
import { createConsumer } from "./consumer.js";
import { outcome } from "./outcome.js";
import { createProducer } from "./producer.js";

function mail(id: string, extra: Partial<MessageInputOf<"emailoutput">> = {}): MessageInputOf<"emailoutput"> {
  return {
    type: "emailoutput",
    version: 1,
    id,
    environment: "live",
    to: ["vet@example.id"],
    subject: "Laporan",
    text: "t",
    ...extra,
  };
}

describe("QueueProducer", () => {
  let stack: TestStack;
  let queues = 0;

  beforeAll(async () => {
    stack = await createTestStack({ database: false });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function setUp() {
    const prefix = `${stack.prefix}${++queues}-`;
    await provisionQueue(stack.sqs, prefix, "emailoutput");
    const producer = createProducer({ sqs: stack.sqs }, { prefix });
    const stats = async () => (await queueStats(stack.sqs, prefix, ["emailoutput"]))[0];
    return { prefix, producer, stats };
  }

  it("sends a batch of 25 and every message arrives once", async () => {
    const { prefix, producer } = await setUp();
    const ids = Array.from({ length: 25 }, (_, index) => `batch-${index}`);
    const sent = await producer.sendBatch(
      "emailoutput",
      ids.map((id) => mail(id)),
    );
    expect(new Set(sent.map((message) => message.messageId)).size).toBe(25);

    const received: string[] = [];
    const consumer = createConsumer(
      { sqs: stack.sqs, logger: createLogger({ name: "test", level: "silent" }) },
      {
        queue: "emailoutput",
        prefix,
        concurrency: 10,
        waitTimeSeconds: 1,
        handler: async (message) => {
          received.push(message.id);
          return outcome.done();
        },
      },
    );
    await consumer.start();
    try {
      await waitFor(() => received.length >= 25);
    } finally {
      await consumer.stop();
    }
    expect(received.sort()).toEqual([...ids].sort());
  });

  it("refuses a payload over the SQS limit with PAYLOAD_TOO_LARGE and sends nothing", async () => {
    const { producer, stats } = await setUp();
    // Valid by the schema (text and html are within their own limits), too large for SQS.
    const large = mail("large", { text: "x".repeat(100_000), html: "y".repeat(200_000) });
    const refusal = await producer.send("emailoutput", large).catch((error: unknown) => error);
    expect(isPlatformError(refusal, "PAYLOAD_TOO_LARGE")).toBe(true);
    expect((refusal as Error).message).toContain("files go to buckets");
    const batchRefusal = await producer
      .sendBatch("emailoutput", [mail("small"), large])
      .catch((error: unknown) => error);
    expect(isPlatformError(batchRefusal, "PAYLOAD_TOO_LARGE")).toBe(true);
    expect(await stats()).toMatchObject({ depth: 0, inFlight: 0 });
  });

  it("refuses a message its schema rejects, before sending", async () => {
    const { producer, stats } = await setUp();
    const invalid = mail("no-recipients", { to: [] });
    const refusal = await producer.send("emailoutput", invalid).catch((error: unknown) => error);
    expect(isPlatformError(refusal, "SCHEMA_INVALID")).toBe(true);
    expect((refusal as Error).message).toContain("needs `to` or `recipientList`");
    expect(await stats()).toMatchObject({ depth: 0 });
  });

  it("says NOT_FOUND for a queue that does not exist", async () => {
    const producer = createProducer({ sqs: stack.sqs }, { prefix: `${stack.prefix}missing-` });
    const refusal = await producer.send("emailoutput", mail("lost")).catch((error: unknown) => error);
    expect(isPlatformError(refusal, "NOT_FOUND")).toBe(true);
  });

  it("carries text outside the Basic Multilingual Plane (emoji) to the handler unchanged", async () => {
    const { prefix, producer } = await setUp();
    const subject = "Laporan 🐄 sapi sakit 𝔸 — ✓";
    await producer.send("emailoutput", mail("emoji", { subject }));
    await producer.sendBatch("emailoutput", [mail("emoji-batch", { subject })]);
    const seen = new Map<string, string>();
    const consumer = createConsumer(
      { sqs: stack.sqs, logger: createLogger({ name: "test", level: "silent" }) },
      {
        queue: "emailoutput",
        prefix,
        concurrency: 2,
        waitTimeSeconds: 1,
        handler: async (message) => {
          seen.set(message.id, message.subject);
          return outcome.done();
        },
      },
    );
    await consumer.start();
    try {
      await waitFor(() => seen.size === 2);
    } finally {
      await consumer.stop();
    }
    expect(Object.fromEntries(seen)).toEqual({ emoji: subject, "emoji-batch": subject });
  });

  it("carries the correlation id to the handler and onto its log lines", async () => {
    const { prefix, producer } = await setUp();
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger({ name: "test", level: "info", destination });
    await producer.send("emailoutput", mail("traced"), { correlationId: "sms-4711" });
    const seen: string[] = [];
    const consumer = createConsumer(
      { sqs: stack.sqs, logger },
      {
        queue: "emailoutput",
        prefix,
        concurrency: 1,
        waitTimeSeconds: 1,
        handler: async (_message, context) => {
          seen.push(context.correlationId);
          context.logger.info("sending mail");
          return outcome.done();
        },
      },
    );
    await consumer.start();
    try {
      await waitFor(() => seen.length === 1);
    } finally {
      await consumer.stop();
    }
    expect(seen).toEqual(["sms-4711"]);
    const line = lines
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg === "sending mail");
    expect(line).toMatchObject({ correlationId: "sms-4711", queue: "emailoutput" });
  });
});
