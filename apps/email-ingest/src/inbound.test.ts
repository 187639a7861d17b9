import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { EmailInput } from "@isikhnas/contracts";
import {
  captureLog,
  createTestStack,
  type TestStack,
  waitFor,
  waitForQueueDrained,
} from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { createBucket, createDatabase, type Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type IngestDaemon } from "./app.js";
import { loadConfig } from "./config.js";
import { fixtureMail } from "./testing/fixture-mail.js";

const LIVE = "laporan@isikhnas.example";
const TRAINING = "latihan@isikhnas.example";

describe("SES inbound through the mailinbound queue", () => {
  let stack: TestStack;
  let training: TestStack;
  let live: Database;
  let trainingDb: Database;
  let app: IngestDaemon;
  let tag = 0;
  let logLines: Record<string, unknown>[] = [];

  async function storeMail(name: string, options: { from?: string; to?: string } = {}) {
    tag += 1;
    const mail = await fixtureMail(name, {
      from: options.from ?? DEMO_USERS.abattoir_reporter.email,
      to: options.to ?? LIVE,
      tag: `${stack.id}-${tag}`,
    });
    const rawmail = createBucket({ s3: stack.s3 }, { name: "rawmail", prefix: stack.prefix });
    const key = `inbound/ses-${stack.id}-${tag}`;
    await rawmail.put(key, mail);
    return { bucket: rawmail.physicalName, key, messageId: `${stack.id}-${tag}` };
  }

  function sesNotification(
    stored: { bucket: string; key: string },
    recipients: string[],
    verdicts: Record<string, string> = {},
  ) {
    const verdict = (name: string) => ({ status: verdicts[name] ?? "PASS" });
    const message = {
      notificationType: "Received",
      mail: {
        messageId: stored.key,
        source: "sender@example.org",
        destination: recipients,
        timestamp: "2026-07-06T01:15:00.000Z",
      },
      receipt: {
        recipients,
        processingTimeMillis: 410,
        spfVerdict: verdict("spf"),
        dkimVerdict: verdict("dkim"),
        dmarcVerdict: verdict("dmarc"),
        spamVerdict: verdict("spam"),
        virusVerdict: verdict("virus"),
        action: {
          type: "S3",
          topicArn: "arn:aws:sns:us-east-1:1:inbound",
          bucketName: stored.bucket,
          objectKey: stored.key,
        },
      },
    };
    return {
      Type: "Notification",
      MessageId: `sns-${stored.key}`,
      TopicArn: "arn:aws:sns:us-east-1:1:inbound",
      Subject: "Amazon SES Email Receipt Notification",
      Message: JSON.stringify(message),
      Timestamp: "2026-07-06T01:15:01.000Z",
      SignatureVersion: "1",
    };
  }

  async function notify(body: unknown) {
    const { QueueUrl } = await stack.sqs.send(
      new GetQueueUrlCommand({ QueueName: `${stack.prefix}mailinbound` }),
    );
    await stack.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }));
  }

  async function nextInput(db: Database, messageId: string): Promise<EmailInput> {
    await waitFor(
      async () =>
        (
          await db.query(
            "SELECT 1 FROM inbound_mail_attachments WHERE message_id LIKE $1 AND queued_at IS NOT NULL",
            [`%${messageId}%`],
          )
        ).rows.length > 0,
      { description: `queued attachment of ${messageId}` },
    );
    const { QueueUrl } = await stack.sqs.send(
      new GetQueueUrlCommand({ QueueName: `${stack.prefix}emailinput` }),
    );
    const received = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, VisibilityTimeout: 600 }),
    );
    return JSON.parse(received.Messages?.[0]?.Body ?? "null") as EmailInput;
  }

  beforeAll(async () => {
    stack = await createTestStack();
    training = await createTestStack();
    await stack.provision();
    live = stack.openDatabase();
    trainingDb = training.openDatabase();
    for (const db of [live, trainingDb]) {
      await seedReferenceData(db);
      await seedDemoData(db);
    }
    const config = loadConfig({
      ...stack.env,
      INGEST_ADDRESS_LIVE: LIVE,
      INGEST_ADDRESS_TRAINING: TRAINING,
      TRAINING_DATABASE_URL: training.databaseUrl,
    });
    const appDb = (url: string) => createDatabase({ ...config, DATABASE_URL: url, DB_POOL_MAX: 4 });
    const captured = captureLog("email-ingest-test");
    logLines = captured.lines;
    app = createApp({
      config,
      logger: captured.logger,
      sqs: stack.sqs,
      s3: stack.s3,
      databases: { live: appDb(stack.databaseUrl), training: appDb(training.databaseUrl) },
    });
    await app.start();
  });

  afterAll(async () => {
    await app.stop();
    await stack.close();
    await training.close();
  });

  it("ingests a mail announced by an SNS-wrapped SES receipt notification", async () => {
    const stored = await storeMail("nested-multipart.eml");
    await notify(sesNotification(stored, [LIVE]));
    const input = await nextInput(live, stored.messageId);
    expect(input).toMatchObject({
      environment: "live",
      rawMail: { bucket: "rawmail", key: stored.key },
      attachment: { filename: "Laporan pemotongan – Juni.xlsx" },
    });
  });

  it("logs the mail it handled under its Message-ID as correlationId, the id every later daemon logs, and the sender masked", async () => {
    const stored = await storeMail("nested-multipart.eml");
    await notify(sesNotification(stored, [LIVE]));
    const mailId = `<nested-${stored.messageId}@mail.demo.isikhnas.example.org>`;
    const input = await nextInput(live, stored.messageId);
    expect(input.messageId).toBe(mailId);
    const handled = await waitFor(
      () => logLines.find((line) => line.msg === "inbound mail handled" && line.correlationId === mailId),
      { description: "the handled mail's log line" },
    );
    expect(handled).toMatchObject({ kind: "queued", sender: "a***@demo.isikhnas.example.org" });
    expect(JSON.stringify(handled)).not.toContain(DEMO_USERS.abattoir_reporter.email);
  });

  it("ingests a mail announced by a plain S3 event, routing by its headers", async () => {
    const stored = await storeMail("forwarded.eml");
    await notify({
      Records: [
        {
          eventVersion: "2.1",
          eventSource: "aws:s3",
          awsRegion: "us-east-1",
          eventName: "ObjectCreated:Put",
          s3: { bucket: { name: stored.bucket }, object: { key: stored.key, size: 1 } },
        },
      ],
    });
    const input = await nextInput(live, stored.messageId);
    expect(input.attachment.filename).toBe("hasil lab.xlsx");
  });

  it("routes mail to the training alias into the training database", async () => {
    const stored = await storeMail("octet-stream-encoded-word.eml", { to: TRAINING });
    await notify(sesNotification(stored, [TRAINING]));
    const input = await nextInput(trainingDb, stored.messageId);
    expect(input).toMatchObject({ environment: "training", recipient: TRAINING });
    const { rows } = await live.query("SELECT 1 FROM inbound_mail_attachments WHERE message_id LIKE $1", [
      `%${stored.messageId}%`,
    ]);
    expect(rows).toHaveLength(0);
  });

  it("drops a mail whose SES verdicts fail, without answering", async () => {
    const stored = await storeMail("nested-multipart.eml");
    await notify(sesNotification(stored, [LIVE], { dkim: "FAIL", dmarc: "FAIL" }));
    // The consumer deletes the message once handled: wait for the queue to be empty.
    await waitForQueueDrained(stack, "mailinbound");
    const { rows } = await live.query("SELECT 1 FROM inbound_mail_attachments WHERE message_id LIKE $1", [
      `%${stored.messageId}%`,
    ]);
    expect(rows).toHaveLength(0);
    const { QueueUrl: outputUrl } = await stack.sqs.send(
      new GetQueueUrlCommand({ QueueName: `${stack.prefix}emailoutput` }),
    );
    const replies = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: outputUrl, WaitTimeSeconds: 1 }),
    );
    expect(replies.Messages ?? []).toHaveLength(0);
  });
});
