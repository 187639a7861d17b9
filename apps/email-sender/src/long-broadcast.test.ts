import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import {
  createBuckets,
  createDatabase,
  createLogger,
  createMailer,
  createProducer,
  createSesClient,
  type Database,
  queueStats,
} from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type SenderDaemon } from "./app.js";
import { loadConfig } from "./config.js";
import { type SesProxy, startSesProxy } from "./testing/ses-proxy.js";
import { withUnreachable } from "./testing/unreachable-database.js";

// Few receives, so that a broadcast which has to wait more often than that shows whether
// waiting is counted as failing.
const MAX_RECEIVE_COUNT = 2;
const RECIPIENTS = 6;
/** Failed tries of each recipient before SES takes its mail: more than one receive's worth. */
const FAILED_TRIES = 3;

describe("a broadcast that waits more often than MAX_RECEIVE_COUNT", () => {
  let stack: TestStack;
  let db: Database;
  let ses: SesProxy;
  let sender: SenderDaemon;
  const brokenKey = () => `broken-${stack.id}`;

  beforeAll(async () => {
    stack = await createTestStack();
    await stack.provision({ maxReceiveCount: MAX_RECEIVE_COUNT });
    db = stack.openDatabase();
    // SES is unavailable for each recipient's first tries (the SDK's own three calls per try).
    const calls = new Map<string, number>();
    ses = await startSesProxy({
      target: stack.env.AWS_ENDPOINT_URL_SES ?? "",
      unavailable: (raw) => {
        const to = /^To: (.*)$/m.exec(raw)?.[1] ?? "";
        const made = (calls.get(to) ?? 0) + 1;
        calls.set(to, made);
        return made <= FAILED_TRIES * 3;
      },
    });
    const config = loadConfig({
      ...stack.env,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      MAIL_FROM: "iSIKHNAS <peringatan@isikhnas.example>",
      SEND_RATE_PER_SECOND: "500",
      // Every wait goes back to the queue rather than being waited out in the handler.
      SEND_INLINE_RETRY_SECONDS: "0",
    });
    sender = createApp({
      config,
      logger: createLogger({ name: "email-sender-test", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      sqs: stack.sqs,
      s3: stack.s3,
      // The database stays away for one message: a real failure, not a wait.
      db: await withUnreachable(
        createDatabase(config),
        async (_own, text, values) => /INTO email_sends/.test(text) && values[0] === brokenKey(),
      ),
      mailer: createMailer(config, { ses: createSesClient(config) }),
    });
    await sender.start();
  });

  afterAll(async () => {
    await sender?.stop();
    await ses?.close();
    await stack?.close();
  });

  it("is finished, each recipient once, and never dead-lettered", async () => {
    const domain = `${stack.id}.district.example`;
    const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `officer${i}@${domain}`);
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    await buckets.reports.put("alerts/outbreak-73.txt", `${addresses.join("\n")}\n`);
    const key = `alert-${stack.id}`;
    await createProducer({ sqs: stack.sqs }, { prefix: stack.prefix }).send("emailoutput", {
      type: "emailoutput",
      version: 1,
      id: key,
      environment: "live",
      recipientList: { bucket: "reports", key: "alerts/outbreak-73.txt" },
      subject: "[iSIKHNAS] Peringatan wabah",
      text: "Kasus prioritas dilaporkan di provinsi Anda.",
    });

    const finished = async () =>
      (await db.query("SELECT 1 FROM email_sends WHERE message_key = $1 AND status = 'done'", [key])).rows
        .length > 0;
    const deadLettered = async () =>
      ((await queueStats(stack.sqs, stack.prefix, ["emailoutput"]))[0]?.deadLetterDepth ?? 0) > 0;
    await waitFor(async () => (await finished()) || (await deadLettered()), {
      timeoutMs: 60_000,
      description: "the broadcast finished or dead-lettered",
    });
    expect(await deadLettered()).toBe(false);
    expect(await finished()).toBe(true);

    const { rows } = await db.query<{ recipient: string; status: string; attempts: number }>(
      "SELECT recipient, status, attempts FROM outbound_emails ORDER BY recipient",
    );
    expect(rows.map((row) => row.status)).toEqual(addresses.map(() => "sent"));
    // More tries than one receive could hold (how the SDK's own retries fall may add one).
    for (const row of rows) expect(row.attempts).toBeGreaterThan(FAILED_TRIES);
    expect(ses.unavailable).toBe(RECIPIENTS * FAILED_TRIES * 3);
    for (const address of addresses) expect(await stack.mailbox.to(address)).toHaveLength(1);
  }, 90_000);

  it("is still dead-lettered after MAX_RECEIVE_COUNT receives when it fails for real", async () => {
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    await buckets.reports.put("alerts/outbreak-74.txt", `officer@${stack.id}.district.example\n`);
    await createProducer({ sqs: stack.sqs }, { prefix: stack.prefix }).send("emailoutput", {
      type: "emailoutput",
      version: 1,
      id: brokenKey(),
      environment: "live",
      recipientList: { bucket: "reports", key: "alerts/outbreak-74.txt" },
      subject: "[iSIKHNAS] Peringatan wabah",
      text: "Kasus prioritas dilaporkan di provinsi Anda.",
    });
    // The consumer's backoff (10 s, then 20 s) lies between the receives.
    await waitFor(
      async () => ((await queueStats(stack.sqs, stack.prefix, ["emailoutput"]))[0]?.deadLetterDepth ?? 0) > 0,
      { timeoutMs: 60_000, intervalMs: 500, description: "the failing message dead-lettered" },
    );
    const { rows } = await db.query("SELECT 1 FROM email_sends WHERE message_key = $1", [brokenKey()]);
    expect(rows).toHaveLength(0);
    expect(await stack.mailbox.to(`officer@${stack.id}.district.example`)).toHaveLength(0);
  }, 90_000);
});
