import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { GetQueueUrlCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { EmailInput, EmailOutput } from "@isikhnas/contracts";
import { captureLog, createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import {
  createBucket,
  createLogger,
  createProducer,
  createSqsClient,
  type Database,
} from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildIngestDeps } from "./app.js";
import { loadConfig } from "./config.js";
import type { IngestDeps } from "./ingest.js";
import { ingestStoredMail } from "./ingest.js";
import { receivePipedMail } from "./pipe.js";
import { fixtureMail } from "./testing/fixture-mail.js";

const fixtures = new URL("./fixtures/", import.meta.url);
const uploader = DEMO_USERS.abattoir_reporter.email;

async function drain(sqs: SQSClient, prefix: string, queue: string, waitSeconds = 1): Promise<unknown[]> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}${queue}` }));
  const bodies: unknown[] = [];
  for (;;) {
    const result = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: 600,
      }),
    );
    if (!result.Messages?.length) return bodies;
    for (const message of result.Messages) bodies.push(JSON.parse(message.Body ?? "null"));
  }
}

describe("email ingest", () => {
  let stack: TestStack;
  let db: Database;
  let deps: IngestDeps;
  let tag = 0;
  let logLines: Record<string, unknown>[] = [];

  async function fixture(name: string, from = uploader): Promise<Buffer> {
    tag += 1;
    return fixtureMail(name, { from, to: "laporan@isikhnas.example", tag: `${stack.id}-${tag}` });
  }

  async function pipe(mail: Buffer, recipient = "laporan@isikhnas.example") {
    return receivePipedMail(deps, Readable.from([mail]), recipient);
  }

  beforeEach(async () => {
    stack = await createTestStack();
    await stack.provision();
    db = stack.openDatabase();
    await seedReferenceData(db);
    await seedDemoData(db);
    const captured = captureLog("email-ingest-test");
    logLines = captured.lines;
    const config = loadConfig({ ...stack.env, INGEST_ADDRESS_LIVE: "laporan@isikhnas.example" });
    deps = buildIngestDeps({
      config,
      logger: captured.logger,
      sqs: stack.sqs,
      s3: stack.s3,
      databases: { live: db },
    });
  });

  afterEach(async () => {
    await stack.close();
  });

  it("queues the workbook of a nested multipart mail with an inline image and an RFC 2231 name", async () => {
    const mail = await fixture("nested-multipart.eml");
    const outcome = await pipe(mail);
    expect(outcome).toMatchObject({ exitCode: 0, result: { kind: "queued", attachments: 1 } });

    const [input, ...more] = (await drain(stack.sqs, stack.prefix, "emailinput")) as EmailInput[];
    expect(more).toHaveLength(0);
    const workbook = await readFile(new URL("monthly-slaughter.xlsx", fixtures));
    expect(input).toMatchObject({
      environment: "live",
      sender: { address: uploader, name: "Andi RPH" },
      recipient: "laporan@isikhnas.example",
      subject: "Laporan pemotongan – Juni",
      messageId: `<nested-${stack.id}-${tag}@mail.demo.isikhnas.example.org>`,
      attachment: {
        bucket: "queuefiles",
        filename: "Laporan pemotongan – Juni.xlsx",
        size: workbook.length,
        sha256: createHash("sha256").update(workbook).digest("hex"),
      },
    });
    const stored = await deps.buckets.queuefiles.get(input?.attachment.key ?? "");
    expect(Buffer.concat(await stored.body.toArray())).toEqual(workbook);
    const raw = await deps.buckets.rawmail.get(input?.rawMail.key ?? "");
    expect(Buffer.concat(await raw.body.toArray())).toEqual(mail);
    expect(await drain(stack.sqs, stack.prefix, "emailoutput", 0)).toHaveLength(0);
  });

  it("recognises an octet-stream workbook with an encoded-word name by its content, and skips a fake .xlsx", async () => {
    const outcome = await pipe(await fixture("octet-stream-encoded-word.eml"));
    expect(outcome.result).toMatchObject({ kind: "queued", attachments: 1 });
    const inputs = (await drain(stack.sqs, stack.prefix, "emailinput")) as EmailInput[];
    expect(inputs.map((input) => input.attachment.filename)).toEqual(["Rekap vaksinasi été"]);
    expect(inputs[0]?.attachment.contentType).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
  });

  it("finds the workbook inside a forwarded message/rfc822", async () => {
    const outcome = await pipe(await fixture("forwarded.eml"));
    expect(outcome.result).toMatchObject({ kind: "queued", attachments: 1 });
    const inputs = (await drain(stack.sqs, stack.prefix, "emailinput")) as EmailInput[];
    expect(inputs.map((input) => input.attachment.filename)).toEqual(["hasil lab.xlsx"]);
    expect(inputs[0]?.messageId).toBe(`<forwarded-${stack.id}-${tag}@mail.example>`);
  });

  it("answers a registered sender's mail without a workbook with help: templates and how to get one", async () => {
    const outcome = await pipe(await fixture("no-attachment.eml"));
    expect(outcome.result).toMatchObject({ kind: "answered", reason: "no usable workbook" });
    const [reply] = (await drain(stack.sqs, stack.prefix, "emailoutput")) as EmailOutput[];
    expect(reply).toMatchObject({
      to: [uploader],
      from: "laporan@isikhnas.example",
      subject: "[iSIKHNAS] Re: cara kirim laporan?",
      inReplyTo: `<plain-${stack.id}-${tag}@mail.example>`,
    });
    // The abattoir reporter may upload only the monthly slaughter template.
    expect(reply?.text).toContain("monthly_slaughter: Pemotongan bulanan");
    expect(reply?.text).not.toContain("lab_submissions");
    expect(reply?.text).toContain("TEMPLATE <kode>");
    expect(await drain(stack.sqs, stack.prefix, "emailinput", 0)).toHaveLength(0);
  });

  it("answers a mail of 2,000 tiny attachments that it has too many parts", async () => {
    tag += 1;
    const parts = Array.from(
      { length: 2_000 },
      (_, i) => `--b\r\nContent-Disposition: attachment; filename=${i}.xlsx\r\n\r\nUEsDBA==\r\n`,
    );
    const mail = Buffer.from(
      [
        `From: Andi <${uploader}>`,
        "To: laporan@isikhnas.example",
        "Subject: banyak lampiran",
        `Message-ID: <many-${stack.id}-${tag}@mail.example>`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b"',
        "",
        `${parts.join("")}--b--\r\n`,
      ].join("\r\n"),
    );
    // A stall here (the old failure) is caught by the test's timeout.
    const outcome = await pipe(mail);
    expect(outcome).toMatchObject({
      exitCode: 0,
      result: { kind: "answered", reason: "no usable workbook" },
    });
    const [reply, ...more] = (await drain(stack.sqs, stack.prefix, "emailoutput")) as EmailOutput[];
    expect(more).toHaveLength(0);
    expect(reply?.text).toContain(`more than ${deps.settings.maxMailParts} parts`);
    expect(await drain(stack.sqs, stack.prefix, "emailinput", 0)).toHaveLength(0);
  });

  it("says a reply to the training alias is training (TRAINING_SYSTEM_TAG)", async () => {
    const training = await createTestStack();
    const trainingDb = training.openDatabase();
    try {
      await seedReferenceData(trainingDb);
      await seedDemoData(trainingDb);
      const config = loadConfig({
        ...stack.env,
        INGEST_ADDRESS_LIVE: "laporan@isikhnas.example",
        INGEST_ADDRESS_TRAINING: "latihan@isikhnas.example",
        TRAINING_DATABASE_URL: training.databaseUrl,
      });
      const trainingDeps = buildIngestDeps({
        config,
        logger: createLogger({ name: "email-ingest-test", level: "silent" }),
        sqs: stack.sqs,
        s3: stack.s3,
        databases: { live: db, training: trainingDb },
      });
      const outcome = await receivePipedMail(
        trainingDeps,
        Readable.from([await fixture("no-attachment.eml")]),
        "latihan@isikhnas.example",
      );
      expect(outcome.result).toMatchObject({ kind: "answered", reason: "no usable workbook" });
      const [reply] = (await drain(stack.sqs, stack.prefix, "emailoutput")) as EmailOutput[];
      expect(reply).toMatchObject({
        from: "latihan@isikhnas.example",
        subject: "[iSIKHNAS TRAINING] Re: cara kirim laporan?",
      });
    } finally {
      await training.close();
    }
  });

  it("logs each piped mail under its Message-ID as correlationId (the emailinput's and the answer's), the sender masked", async () => {
    await pipe(await fixture("nested-multipart.eml"));
    await pipe(await fixture("nested-multipart.eml", "stranger@elsewhere.example"));
    const handled = logLines.filter((line) => line.msg === "piped mail handled");
    expect(handled).toEqual([
      expect.objectContaining({
        kind: "queued",
        correlationId: `<nested-${stack.id}-${tag - 1}@mail.demo.isikhnas.example.org>`,
        sender: "a***@demo.isikhnas.example.org",
      }),
      expect.objectContaining({
        kind: "answered",
        correlationId: `<nested-${stack.id}-${tag}@mail.demo.isikhnas.example.org>`,
        sender: "s***@elsewhere.example",
      }),
    ]);
  });

  it("tells an authenticated unknown sender they are not registered, and queues nothing", async () => {
    const outcome = await pipe(await fixture("nested-multipart.eml", "stranger@elsewhere.example"));
    expect(outcome.result).toMatchObject({ kind: "answered", reason: "sender not registered" });
    const [reply] = (await drain(stack.sqs, stack.prefix, "emailoutput")) as EmailOutput[];
    expect(reply?.to).toEqual(["stranger@elsewhere.example"]);
    expect(reply?.text).toContain("tidak terdaftar");
    expect(reply?.text).toContain("not registered");
    expect(await drain(stack.sqs, stack.prefix, "emailinput", 0)).toHaveLength(0);
  });

  it("answers `TEMPLATE <code>` with the blank workbook, and a template the sender may not use with help", async () => {
    const request = async (code: string) =>
      Buffer.from(
        (await fixture("no-attachment.eml"))
          .toString("latin1")
          .replace(/^Subject: .*$/m, `Subject: TEMPLATE ${code}`),
        "latin1",
      );
    const served = await pipe(await request("monthly_slaughter"));
    expect(served.result).toMatchObject({
      kind: "answered",
      reason: "blank template monthly_slaughter sent",
    });
    const refused = await pipe(await request("lab_submissions"));
    expect(refused.result).toMatchObject({ kind: "answered", reason: "template request not served" });

    const replies = (await drain(stack.sqs, stack.prefix, "emailoutput")) as EmailOutput[];
    const withWorkbook = replies.find((reply) => reply.attachments.length > 0);
    expect(withWorkbook?.attachments[0]).toMatchObject({
      bucket: "emailattachments",
      filename: "monthly_slaughter.xlsx",
    });
    const blank = await deps.buckets.emailattachments.get(withWorkbook?.attachments[0]?.key ?? "");
    const bytes = Buffer.concat(await blank.body.toArray());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));
    expect(bytes.includes(Buffer.from("xl/workbook.xml"))).toBe(true);
    const help = replies.find((reply) => reply.attachments.length === 0);
    expect(help?.text).toContain("TEMPLATE lab_submissions: no such template among yours");
  });

  it("does not answer an unknown sender whose mail carries no authentication (no backscatter)", async () => {
    const outcome = await pipe(await fixture("no-attachment.eml", "someone@elsewhere.example"));
    expect(outcome).toMatchObject({ exitCode: 0, result: { kind: "ignored" } });
    expect(await drain(stack.sqs, stack.prefix, "emailoutput", 0)).toHaveLength(0);
  });

  it("drops a forged mail from a registered address with failing DKIM and DMARC: no reply, nothing queued", async () => {
    const outcome = await pipe(await fixture("forged.eml"));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.result).toMatchObject({ kind: "ignored" });
    expect(outcome.result?.kind === "ignored" && outcome.result.reason).toMatch(/dkim=fail.*dmarc=fail/);
    expect(await drain(stack.sqs, stack.prefix, "emailinput", 0)).toHaveLength(0);
    expect(await drain(stack.sqs, stack.prefix, "emailoutput", 0)).toHaveLength(0);
  });

  it("refuses a mail over the size limit without storing it, answering the sender", async () => {
    deps = { ...deps, settings: { ...deps.settings, maxMailBytes: 4096 } };
    const outcome = await pipe(await fixture("nested-multipart.eml"));
    expect(outcome).toMatchObject({ exitCode: 0, result: { kind: "answered" } });
    const [reply] = (await drain(stack.sqs, stack.prefix, "emailoutput")) as EmailOutput[];
    expect(reply?.text).toContain("melebihi batas ukuran");
    expect(reply?.inReplyTo).toBe(`<nested-${stack.id}-${tag}@mail.demo.isikhnas.example.org>`);
    expect(await drain(stack.sqs, stack.prefix, "emailinput", 0)).toHaveLength(0);
  });

  it("queues nothing from a mail read as it streams that turns out over the size limit after its workbook", async () => {
    const mail = await fixture("nested-multipart.eml");
    // The workbook first, then an epilogue that takes the mail over the limit, in the small
    // chunks a pipe delivers: the workbook is read before the limit trips.
    const long = Buffer.concat([mail, Buffer.alloc(256 * 1024, "x")]);
    deps = { ...deps, settings: { ...deps.settings, maxMailBytes: mail.length + 1024 } };
    const chunks = Array.from({ length: Math.ceil(long.length / 1024) }, (_, i) =>
      long.subarray(i * 1024, (i + 1) * 1024),
    );
    const outcome = await receivePipedMail(deps, Readable.from(chunks), "laporan@isikhnas.example");
    expect(outcome).toMatchObject({ exitCode: 0, result: { kind: "answered" } });
    const [reply] = (await drain(stack.sqs, stack.prefix, "emailoutput")) as EmailOutput[];
    expect(reply?.text).toContain("melebihi batas ukuran");
    expect(await drain(stack.sqs, stack.prefix, "emailinput", 0)).toHaveLength(0);
    const { rows } = await db.query("SELECT 1 FROM inbound_mail_attachments");
    expect(rows).toHaveLength(0);
  });

  it("queues nothing and says try later when the raw mail cannot be stored, though its workbook was read", async () => {
    const mail = await fixture("nested-multipart.eml");
    const rawmail = createBucket({ s3: stack.s3 }, { name: "rawmail-missing", prefix: stack.prefix });
    const outcome = await receivePipedMail(
      { ...deps, buckets: { ...deps.buckets, rawmail } },
      Readable.from([mail]),
      "laporan@isikhnas.example",
    );
    expect(outcome.exitCode).toBe(75);
    expect(await drain(stack.sqs, stack.prefix, "emailinput", 0)).toHaveLength(0);
    const { rows } = await db.query("SELECT 1 FROM inbound_mail_attachments");
    expect(rows).toHaveLength(0);
  });

  it("makes one set of messages from the same mail delivered twice, and resends a row a crash left unqueued", async () => {
    const mail = await fixture("nested-multipart.eml");
    await pipe(mail);
    const second = await pipe(mail);
    expect(second.result).toMatchObject({ kind: "queued", attachments: 1 });
    const inputs = (await drain(stack.sqs, stack.prefix, "emailinput")) as EmailInput[];
    expect(inputs).toHaveLength(1);

    // A crash between recording the attachment and sending its message leaves the row unqueued.
    await db.query("UPDATE inbound_mail_attachments SET queued_at = NULL");
    await pipe(mail);
    const resent = (await drain(stack.sqs, stack.prefix, "emailinput")) as EmailInput[];
    expect(resent.map((input) => input.id)).toEqual(inputs.map((input) => input.id));
    const { rows } = await db.query(
      "SELECT count(*)::int AS n FROM inbound_mail_attachments WHERE queued_at IS NOT NULL",
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("queues a mail's workbook once when two deliveries of it are handled at once", async () => {
    const mail = await fixture("nested-multipart.eml");
    const outcomes = await Promise.all([pipe(mail), pipe(mail), pipe(mail)]);
    for (const outcome of outcomes) expect(outcome.result).toMatchObject({ kind: "queued", attachments: 1 });
    expect(await drain(stack.sqs, stack.prefix, "emailinput")).toHaveLength(1);
  });

  it("records nothing when queueing fails midway, and queues the mail once when it comes again", async () => {
    const mail = await fixture("nested-multipart.eml");
    const queueAway = createSqsClient(
      loadConfig({
        ...stack.env,
        INGEST_ADDRESS_LIVE: "laporan@isikhnas.example",
        AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9",
      }),
    );
    const failing = { ...deps, producer: createProducer({ sqs: queueAway }, { prefix: stack.prefix }) };
    const failed = await receivePipedMail(failing, Readable.from([mail]), "laporan@isikhnas.example");
    queueAway.destroy();
    expect(failed.exitCode).toBe(75);
    const { rows } = await db.query("SELECT 1 FROM inbound_mail_attachments");
    expect(rows).toHaveLength(0);

    expect((await pipe(mail)).result).toMatchObject({ kind: "queued", attachments: 1 });
    expect(await drain(stack.sqs, stack.prefix, "emailinput")).toHaveLength(1);
  });

  it("accepts and logs input that is not a mail at all instead of asking Postfix to retry it", async () => {
    const outcome = await pipe(Buffer.alloc(0));
    expect(outcome).toMatchObject({ exitCode: 0, result: { kind: "ignored" } });
  });

  it("reads a mail already in the rawmail bucket (no Message-ID: the raw mail names it)", async () => {
    const mail = Buffer.from(
      (await fixture("nested-multipart.eml")).toString("latin1").replace(/^Message-ID: .*\r\n/m, ""),
      "latin1",
    );
    const stored = await deps.buckets.rawmail.put("manual/one.eml", mail);
    const result = await ingestStoredMail(deps, {
      key: stored.key,
      size: stored.size,
      identity: stored.sha256,
      recipients: ["laporan@isikhnas.example"],
      verdicts: {},
    });
    expect(result).toMatchObject({ kind: "queued" });
    const [input] = (await drain(stack.sqs, stack.prefix, "emailinput")) as EmailInput[];
    expect(input?.messageId).toMatch(/^<[0-9a-f]{32}@rawmail\.isikhnas\.invalid>$/);
  });
});
