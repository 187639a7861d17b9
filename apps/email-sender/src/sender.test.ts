import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { buffer } from "node:stream/consumers";
import type { MessageInputOf } from "@isikhnas/contracts";
import { createTestStack, type TestStack, waitFor, waitForQueueDrained } from "@isikhnas/devstack/testing";
import {
  createBuckets,
  createDatabase,
  createLogger,
  createMailer,
  createProducer,
  createSesClient,
  type Database,
  type Env,
  type QueueProducer,
} from "@isikhnas/platform";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp, type SenderDaemon } from "./app.js";
import { loadConfig } from "./config.js";
import { type SesProxy, startSesProxy } from "./testing/ses-proxy.js";
import { type Routed, withUnreachable } from "./testing/unreachable-database.js";

type Output = MessageInputOf<"emailoutput">;

describe("email-sender", () => {
  let stack: TestStack;
  let db: Database;
  let producer: QueueProducer;
  const running: SenderDaemon[] = [];
  const proxies: SesProxy[] = [];

  async function startSender(overrides: Env = {}, options: { unreachable?: Routed } = {}): Promise<void> {
    const config = loadConfig({
      ...stack.env,
      MAIL_FROM: "iSIKHNAS <laporan@isikhnas.example>",
      SEND_RATE_PER_SECOND: "500",
      ...overrides,
    });
    const app = createApp({
      config,
      logger: createLogger({ name: "email-sender-test", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      sqs: stack.sqs,
      s3: stack.s3,
      db: options.unreachable
        ? await withUnreachable(createDatabase(config), options.unreachable)
        : createDatabase(config),
      mailer: createMailer(config, { ses: createSesClient(config) }),
    });
    await app.start();
    running.push(app);
  }

  async function proxy(options: Omit<Parameters<typeof startSesProxy>[0], "target">) {
    const started = await startSesProxy({ target: stack.env.AWS_ENDPOINT_URL_SES ?? "", ...options });
    proxies.push(started);
    return started;
  }

  function message(id: string, fields: Partial<Output>): Output {
    return {
      type: "emailoutput",
      version: 1,
      id: `${stack.id}-${id}`,
      environment: "live",
      subject: `[iSIKHNAS] ${id}`,
      text: "Laporan terlampir.",
      ...fields,
    };
  }

  async function rowsOf(id: string) {
    const { rows } = await db.query<{
      recipient: string;
      status: string;
      attempts: number;
      provider_message_id: string | null;
    }>(
      `SELECT o.recipient, o.status, o.attempts, o.provider_message_id
         FROM outbound_emails o JOIN email_sends s ON s.id = o.send_id
        WHERE s.message_key = $1 ORDER BY o.id`,
      [`${stack.id}-${id}`],
    );
    return rows;
  }

  async function sendDone(id: string) {
    return waitFor(
      async () => {
        const { rows } = await db.query(
          "SELECT 1 FROM email_sends WHERE message_key = $1 AND status = 'done'",
          [`${stack.id}-${id}`],
        );
        return rows.length > 0;
      },
      { description: `${id} finished`, timeoutMs: 30_000 },
    );
  }

  // A stack per test: a consumer stopped mid long-poll can leave a message invisible on
  // its queue, which must not hold up the next test.
  beforeEach(async () => {
    stack = await createTestStack();
    await stack.provision();
    db = stack.openDatabase();
    producer = createProducer({ sqs: stack.sqs }, { prefix: stack.prefix });
  });

  // Each test's senders are its own: stop them before the next test sends.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
    await Promise.all(proxies.splice(0).map((started) => started.close()));
    await stack.close();
  });

  it("sends attachments from emailattachments and reports byte-identical, threaded as a reply", async () => {
    const capture = await proxy({});
    await startSender({ AWS_ENDPOINT_URL_SES: capture.endpoint });
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    const workbook = randomBytes(300_000);
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(50_000)]);
    await buckets.emailattachments.put("errors/upload-1.xlsx", workbook);
    await buckets.reports.put("lab/client-report-1.pdf", pdf);
    const to = `vet-${stack.id}@example.org`;
    await producer.send(
      "emailoutput",
      message("attachments", {
        to: [to],
        html: "<p>Laporan terlampir.</p>",
        inReplyTo: "<upload-1@mail.example>",
        references: ["<thread-0@mail.example>", "<upload-1@mail.example>"],
        attachments: [
          {
            bucket: "emailattachments",
            key: "errors/upload-1.xlsx",
            filename: "Laporan pemotongan – Juni.xlsx",
          },
          {
            bucket: "reports",
            key: "lab/client-report-1.pdf",
            filename: "client-report.pdf",
            contentType: "application/pdf",
          },
        ],
      }),
    );
    const [mail] = await waitFor(async () => {
      const mails = await stack.mailbox.to(to);
      return mails.length > 0 && mails;
    });
    expect(mail?.subject).toBe("[iSIKHNAS] attachments");
    const byName = new Map(mail?.attachments.map((attachment) => [attachment.filename, attachment]));
    expect(Buffer.from(byName.get("Laporan pemotongan – Juni.xlsx")?.content ?? "", "base64")).toEqual(
      workbook,
    );
    expect(Buffer.from(byName.get("client-report.pdf")?.content ?? "", "base64")).toEqual(pdf);
    const raw = capture.forwarded.find((candidate) => candidate.includes(to)) ?? "";
    expect(raw).toMatch(/^In-Reply-To: <upload-1@mail\.example>$/m);
    expect(raw).toMatch(/^References: <thread-0@mail\.example> <upload-1@mail\.example>$/m);
    await sendDone("attachments");
    const [row] = await rowsOf("attachments");
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
    expect(row?.provider_message_id).toBeTruthy();
  });

  it("sends an HTML body with its chart as an inline cid: image in a multipart/related part", async () => {
    const capture = await proxy({});
    await startSender({ AWS_ENDPOINT_URL_SES: capture.endpoint });
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      randomBytes(2_000),
    ]);
    await buckets.reports.put("report/chart-1.png", png);
    const to = `coordinator-${stack.id}@example.org`;
    await producer.send(
      "emailoutput",
      message("inline", {
        to: [to],
        html: '<p>Kasus menurut spesies</p><img src="cid:chart-1@isikhnas" alt="chart">',
        attachments: [
          {
            bucket: "reports",
            key: "report/chart-1.png",
            filename: "chart-1.png",
            contentType: "image/png",
            cid: "chart-1@isikhnas",
          },
        ],
      }),
    );
    await sendDone("inline");
    const raw = capture.forwarded.find((candidate) => candidate.includes(to)) ?? "";
    expect(raw).toMatch(/Content-Type: multipart\/related/);
    expect(raw).toMatch(/^Content-Id: <chart-1@isikhnas>$/im);
    expect(raw).toMatch(/^Content-Disposition: inline; filename=chart-1\.png$/im);
    // The HTML part refers to it (the SES emulator's parser inlines cid: images as data:).
    expect(raw.replace(/=\r?\n/g, "")).toMatch(/src=(3D)?"cid:chart-1@isikhnas"/);
  });

  it("does not send a redelivered message again", async () => {
    await startSender();
    const to = `officer-${stack.id}@example.org`;
    const once = message("redelivered", { to: [to] });
    await producer.send("emailoutput", once);
    await sendDone("redelivered");
    // The same message again, as SQS may deliver it (or a producer may resend it).
    await producer.send("emailoutput", once);
    await producer.send("emailoutput", once);
    await waitForQueueDrained(stack, "emailoutput");
    expect(await stack.mailbox.to(to)).toHaveLength(1);
    expect(await rowsOf("redelivered")).toHaveLength(1);
  });

  it("reads a recipient list object: duplicates, blank lines and comments skipped, inline addresses merged", async () => {
    await startSender();
    const at = (name: string) => `${name}-${stack.id}@example.org`;
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    const lines = [
      "# district 7206",
      at("a"),
      "",
      at("B").toUpperCase(),
      at("a"),
      "not an address",
      `  ${at("c")}  `,
    ];
    await buckets.reports.put("lists/7206.txt", lines.join("\r\n"));
    await producer.send(
      "emailoutput",
      message("list", {
        to: [at("c"), at("d")],
        recipientList: { bucket: "reports", key: "lists/7206.txt" },
      }),
    );
    await sendDone("list");
    const rows = await rowsOf("list");
    expect(rows.map((row) => row.recipient).sort()).toEqual([at("a"), at("b"), at("c"), at("d")].sort());
    expect(rows.every((row) => row.status === "sent")).toBe(true);
    for (const address of [at("a"), at("b"), at("c"), at("d")])
      expect(await stack.mailbox.to(address)).toHaveLength(1);
  });

  it("retries a throttled send with backoff and sends it once; a rejected address fails without retry", async () => {
    const throttling = await proxy({ throttleFirst: 4, reject: (raw) => /^To: rejected-/m.test(raw) });
    await startSender({ AWS_ENDPOINT_URL_SES: throttling.endpoint, SEND_CONCURRENCY: "1" });
    const good = `district-${stack.id}@example.org`;
    const bad = `rejected-${stack.id}@example.org`;
    await producer.send("emailoutput", message("throttled", { to: [good, bad] }));
    await sendDone("throttled");
    expect(throttling.throttled).toBe(4);
    expect(await stack.mailbox.to(good)).toHaveLength(1);
    expect(await stack.mailbox.to(bad)).toHaveLength(0);
    expect(throttling.rejected).toBe(1);
    const rows = await rowsOf("throttled");
    const byRecipient = new Map(rows.map((row) => [row.recipient, row]));
    // The SDK retries a throttled call itself (three tries); the row was released once and retried.
    expect(byRecipient.get(good)).toMatchObject({ status: "sent" });
    expect(byRecipient.get(good)?.attempts).toBeGreaterThan(1);
    expect(byRecipient.get(bad)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("does not send again a mail SES accepted when recording it fails once; it is recorded on retry", async () => {
    const to = `blip-${stack.id}@example.org`;
    let failures = 0;
    await startSender(
      {},
      {
        unreachable: async (_own, text) => {
          if (failures > 0 || !/SET status = 'sent'/.test(text)) return false;
          failures += 1;
          return true;
        },
      },
    );
    await producer.send("emailoutput", message("record-blip", { to: [to] }));
    await sendDone("record-blip");
    expect(failures).toBe(1);
    expect(await stack.mailbox.to(to)).toHaveLength(1);
    const [row] = await rowsOf("record-blip");
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
    expect(row?.provider_message_id).toBeTruthy();
  });

  it("does not send again mails SES accepted when the statement marking several of them fails", async () => {
    const recipients = Array.from({ length: 6 }, (_, i) => `batch-${i}-${stack.id}@example.org`);
    let held = false;
    let failedBatch: number[] = [];
    await startSender(
      { SEND_CONCURRENCY: "6" },
      {
        unreachable: async (_own, text, values) => {
          // Marks go alone or with the next claims, in one statement.
          if (!/SET status = 'sent'/.test(text)) return false;
          const ids = [values[0]].flat();
          if (ids.length === 0) return false;
          if (!held) {
            // Hold the first mark until SES has every mail: the others' marks queue up
            // behind it and go together in the next statement, which fails.
            held = true;
            await waitFor(
              async () =>
                (await Promise.all(recipients.map((to) => stack.mailbox.to(to)))).every(
                  (mails) => mails.length > 0,
                ),
              { description: "every mail at SES", timeoutMs: 20_000 },
            );
            return false;
          }
          if (failedBatch.length > 0 || ids.length < 2) return false;
          failedBatch = ids as number[];
          return true;
        },
      },
    );
    await producer.send("emailoutput", message("record-batch", { to: recipients }));
    await sendDone("record-batch");
    expect(failedBatch.length).toBeGreaterThan(1);
    for (const to of recipients) expect(await stack.mailbox.to(to), to).toHaveLength(1);
    const rows = await rowsOf("record-batch");
    expect(rows).toHaveLength(recipients.length);
    for (const row of rows) {
      expect(row).toMatchObject({ status: "sent", attempts: 1 });
      expect(row.provider_message_id).toBeTruthy();
    }
  });

  /** Sends a message to `to` and `other` while every write to `to`'s row goes to a database that is away. */
  async function sendWhileRowUnwritable(id: string, to: string, other: string, statements: RegExp) {
    let failures = 0;
    await startSender(
      { SEND_LEASE_SECONDS: "2", SEND_CONCURRENCY: "1" },
      {
        unreachable: async (own, text, values) => {
          if (!statements.test(text)) return false;
          // The row id, or the ids of the rows a statement marks together (marks come first).
          const { rows } = await own.query<{ recipient: string }>(
            "SELECT recipient FROM outbound_emails WHERE id = ANY($1::bigint[])",
            [[values[0]].flat()],
          );
          if (!rows.some((row) => row.recipient === to)) return false;
          failures += 1;
          return true;
        },
      },
    );
    await producer.send("emailoutput", message(id, { to: [to, other] }));
    await sendDone(id);
    expect(failures).toBeGreaterThan(0);
    expect(await stack.mailbox.to(to)).toHaveLength(1);
    expect(await stack.mailbox.to(other)).toHaveLength(1);
    const byRecipient = new Map((await rowsOf(id)).map((row) => [row.recipient, row]));
    expect(byRecipient.get(other)).toMatchObject({ status: "sent", attempts: 1 });
    return byRecipient.get(to);
  }

  it("puts a mail SES accepted in doubt, with SES's id, never sent again, when it cannot be recorded as sent", async () => {
    const row = await sendWhileRowUnwritable(
      "record-fails",
      `unrecorded-${stack.id}@example.org`,
      `fine-${stack.id}@example.org`,
      /^UPDATE outbound_emails SET status = 'sent'|^WITH marked AS/,
    );
    expect(row).toMatchObject({ status: "unknown", attempts: 1 });
    const { rows } = await db.query<{ error_reason: string }>(
      "SELECT error_reason FROM outbound_emails WHERE recipient = $1",
      [`unrecorded-${stack.id}@example.org`],
    );
    expect(rows[0]?.error_reason).toMatch(/^SES accepted it as \S+, but recording that failed/);
  }, 60_000);

  it("leaves a mail SES accepted to its lease, never sent again, while its row cannot be written at all", async () => {
    const row = await sendWhileRowUnwritable(
      "record-outage",
      `outage-${stack.id}@example.org`,
      `fine-${stack.id}@example.org`,
      /^UPDATE outbound_emails SET status = '(sent|unknown)'|^WITH marked AS/,
    );
    expect(row).toMatchObject({ status: "unknown", attempts: 1 });
  }, 60_000);

  it("over SMTP, retries a deferral and sends once, and puts a mail the relay took but never confirmed in doubt", async () => {
    const delivered: string[] = [];
    let deferred = 0;
    const relay = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("busy-") && deferred === 0) {
          deferred += 1;
          callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
        } else {
          callback();
        }
      },
      onData(stream, session, callback) {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(",");
        buffer(stream).then(() => {
          delivered.push(to);
          // The silent recipient's mail is taken and never answered.
          if (!to.startsWith("silent-")) callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    try {
      const port = (relay.server.address() as AddressInfo).port;
      await startSender({
        MAIL_TRANSPORT: "smtp",
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        SMTP_SOCKET_TIMEOUT_MS: "500",
        SEND_CONCURRENCY: "1",
      });
      const busy = `busy-${stack.id}@example.org`;
      const silent = `silent-${stack.id}@example.org`;
      await producer.send("emailoutput", message("smtp-doubt", { to: [busy, silent] }));
      await sendDone("smtp-doubt");
      const byRecipient = new Map((await rowsOf("smtp-doubt")).map((row) => [row.recipient, row]));
      expect(byRecipient.get(busy)).toMatchObject({ status: "sent", attempts: 2 });
      expect(byRecipient.get(silent)).toMatchObject({ status: "unknown", attempts: 1 });
      expect(delivered.sort()).toEqual([busy, silent]);
    } finally {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  it("keeps two instances together inside the shared sending rate", async () => {
    const rate = 20;
    await startSender({
      SEND_RATE_PER_SECOND: String(rate),
      SEND_BURST: "1",
      SEND_ACCOUNT: `shared-${stack.id}`,
    });
    await startSender({
      SEND_RATE_PER_SECOND: String(rate),
      SEND_BURST: "1",
      SEND_ACCOUNT: `shared-${stack.id}`,
    });
    const list = (name: string) =>
      Array.from({ length: 30 }, (_, i) => `${name}-${i}-${stack.id}@example.org`);
    await producer.send("emailoutput", message("rate-a", { to: list("a") }));
    await producer.send("emailoutput", message("rate-b", { to: list("b") }));
    await sendDone("rate-a");
    await sendDone("rate-b");
    const { rows } = await db.query<{ ms: number }>(
      `SELECT extract(epoch FROM o.sent_at) * 1000 AS ms FROM outbound_emails o JOIN email_sends s ON s.id = o.send_id
        WHERE s.message_key IN ($1, $2) AND o.status = 'sent' ORDER BY o.sent_at`,
      [`${stack.id}-rate-a`, `${stack.id}-rate-b`],
    );
    expect(rows).toHaveLength(60);
    // A token bucket of rate r and burst b lets at most b + r·t sends through in t seconds.
    const first = rows[0]?.ms ?? 0;
    const last = rows[59]?.ms ?? 0;
    expect(last - first).toBeGreaterThanOrEqual(((60 - 1 - 1) / rate) * 1000 - 100);
  });
});
