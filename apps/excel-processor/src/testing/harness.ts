// The excel-processor against the local stack: its own queues, buckets and database with
// reference and demo data, a way to mail it a workbook (bucket object + emailinput
// message), and collectors of what it sends out.
import { createHash, randomUUID } from "node:crypto";
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { EmailInput, MessageOf } from "@isikhnas/contracts";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { seedDemoData, seedReferenceData } from "@isikhnas/domain";
import {
  type Buckets,
  createBuckets,
  createDatabases,
  createLogger,
  createProducer,
  type Database,
  type QueueProducer,
  queueUrl,
} from "@isikhnas/platform";
import { createApp, type ProcessorDaemon } from "../app.js";
import { loadConfig } from "../config.js";

export interface Harness {
  stack: TestStack;
  db: Database;
  buckets: Buckets;
  producer: QueueProducer;
  app: ProcessorDaemon;
  /** Stores the workbook and returns the emailinput that announces it, not yet sent. */
  stage(workbook: Buffer, options: MailOptions): Promise<EmailInput>;
  /** Stores the workbook and queues an emailinput for it; returns the message sent. */
  mail(workbook: Buffer, options: MailOptions): Promise<EmailInput>;
  /** Resends a message exactly as it was (an SQS redelivery as the handler sees it). */
  redeliver(message: EmailInput): Promise<void>;
  outbox: QueueCollector<"emailoutput">;
  reports: QueueCollector<"reportrequest">;
  close(): Promise<void>;
}

export interface MailOptions {
  from: string;
  filename?: string;
  environment?: "live" | "training";
  messageId?: string;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const stack = await createTestStack();
  await stack.provision({ visibilityTimeoutSeconds: 30 });
  const config = loadConfig({ ...stack.env, ...env });
  const db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
  const logger = createLogger({ name: "excel-processor-test", level: config.LOG_LEVEL });
  const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
  const producer = createProducer({ sqs: stack.sqs }, { prefix: stack.prefix });
  const app = createApp({
    config,
    logger,
    sqs: stack.sqs,
    s3: stack.s3,
    // The training database too when the test names one (TRAINING_DATABASE_URL).
    databases: createDatabases(config, "excel-processor"),
  });
  await app.start();
  const outbox = new QueueCollector(stack, "emailoutput");
  const reports = new QueueCollector(stack, "reportrequest");

  // As email-ingest does: the mail's Message-ID is the correlation id of everything it causes.
  async function send(message: EmailInput): Promise<void> {
    await producer.send("emailinput", message, { correlationId: message.messageId });
  }

  const stage = (workbook: Buffer, options: MailOptions) => stageMessage(buckets, workbook, options);

  return {
    stack,
    db,
    buckets,
    producer,
    app,
    outbox,
    reports,
    stage,
    async mail(workbook, options) {
      const message = await stage(workbook, options);
      await send(message);
      return message;
    },
    redeliver: send,
    async close() {
      await app.stop();
      await stack.close();
    },
  };
}

/** Stores the workbook in queuefiles and returns the emailinput that announces it, not yet sent. */
export async function stageMessage(
  buckets: Pick<Buckets, "queuefiles">,
  workbook: Buffer,
  options: MailOptions,
): Promise<EmailInput> {
  const sha256 = createHash("sha256").update(workbook).digest("hex");
  const messageId = options.messageId ?? `<${randomUUID()}@demo.isikhnas.example.org>`;
  const key = `attachments/${randomUUID()}`;
  await buckets.queuefiles.put(key, workbook);
  return {
    type: "emailinput",
    version: 1,
    id: `${messageId}:${sha256}`,
    environment: options.environment ?? "live",
    receivedAt: new Date().toISOString(),
    sender: { address: options.from },
    recipient: "laporan@isikhnas.example.org",
    subject: "Data",
    messageId,
    references: [],
    attachment: {
      bucket: "queuefiles",
      key,
      filename: options.filename ?? "data.xlsx",
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      size: workbook.length,
      sha256,
    },
    rawMail: { bucket: "rawmail", key: `raw/${randomUUID()}` },
  };
}

/** Everything a queue received so far, read with the real SQS API and deleted as read. */
export class QueueCollector<Q extends "emailoutput" | "reportrequest"> {
  readonly messages: MessageOf<Q>[] = [];
  /** The `correlationId` attribute each message arrived with, by the message's own id. */
  readonly correlationIds = new Map<string, string | undefined>();
  readonly #stack: TestStack;
  readonly #queue: Q;

  constructor(stack: TestStack, queue: Q) {
    this.#stack = stack;
    this.#queue = queue;
  }

  /** Reads what is waiting (without long polling) and returns every message seen. */
  async poll(): Promise<MessageOf<Q>[]> {
    const url = await queueUrl(this.#stack.sqs, this.#stack.prefix, this.#queue);
    for (;;) {
      const result = await this.#stack.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ["All"],
        }),
      );
      const received = result.Messages ?? [];
      for (const message of received) {
        const body = JSON.parse(message.Body ?? "{}") as MessageOf<Q>;
        this.messages.push(body);
        this.correlationIds.set(body.id, message.MessageAttributes?.correlationId?.StringValue);
        await this.#stack.sqs.send(
          new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
        );
      }
      if (received.length === 0) return this.messages;
    }
  }
}
