import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { buffer } from "node:stream/consumers";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSesClient } from "../aws/clients.js";
import { type Bucket, createBucket } from "../bucket/bucket.js";
import { ConfigError, parseConfig } from "../config/load.js";
import { isPlatformError } from "../errors.js";
import { mailSchema } from "./config.js";
import { createMailer, createSesMailer, createSmtpMailer, type Mailer } from "./mailer.js";
import { composeMessage, type OutgoingMail } from "./message.js";

const SUBJECT = "Rekap kasus Penyakit Mulut dan Kuku — Kab. Sleman · Juni ✓";
const WORKBOOK_NAME = "Rekap_Kasus_Sapi_Bali_Juni–Juli_Żółć.xlsx";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Binary bodies that break naive encodings: every byte value, bare CR and LF, a zip header. */
function attachmentBytes() {
  const raw = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)),
    randomBytes(150_000),
  ]);
  const workbook = Buffer.concat([Buffer.from("504b0304140000000800", "hex"), randomBytes(40_000)]);
  return { raw, workbook };
}

async function storeAttachments(bucket: Bucket, prefix: string) {
  const bytes = attachmentBytes();
  await bucket.put(`${prefix}/raw.bin`, bytes.raw, { contentType: "application/octet-stream" });
  await bucket.put(`${prefix}/rekap.xlsx`, bytes.workbook, { contentType: XLSX });
  return bytes;
}

/** A reply that carries both attachments straight from the bucket, one opened late. */
async function replyWithAttachments(bucket: Bucket, prefix: string, to: string): Promise<OutgoingMail> {
  return {
    to,
    cc: [`kepala-dinas@${to.split("@")[1]}`],
    replyTo: "helpdesk@isikhnas.example",
    subject: SUBJECT,
    text: "Terlampir rekap mingguan.\n",
    html: "<p>Terlampir rekap mingguan.</p>",
    inReplyTo: "<original-request@mail.example>",
    references: ["<first@mail.example>", "<original-request@mail.example>"],
    headers: { "X-Isikhnas-Report": "weekly-rekap" },
    attachments: [
      {
        filename: "data-mentah.bin",
        contentType: "application/octet-stream",
        content: async () => (await bucket.get(`${prefix}/raw.bin`)).body,
      },
      {
        filename: WORKBOOK_NAME,
        contentType: XLSX,
        content: (await bucket.get(`${prefix}/rekap.xlsx`)).body,
      },
    ],
  };
}

describe("mailer", () => {
  let stack: TestStack;
  let bucket: Bucket;
  let ses: SESv2Client;
  const from = "iSIKHNAS <noreply@isikhnas.example>";

  beforeAll(async () => {
    stack = await createTestStack({ database: false });
    await stack.provision();
    bucket = createBucket({ s3: stack.s3 }, { name: "emailattachments", prefix: stack.prefix });
    ses = createSesClient({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SES: stack.env.AWS_ENDPOINT_URL_SES });
  });
  afterAll(async () => {
    ses?.destroy();
    await stack?.close();
  });

  describe("through SES", () => {
    let mailer: Mailer;

    beforeAll(() => {
      mailer = createSesMailer({ ses }, { defaultFrom: from });
    });

    it("delivers a mail with two attachments byte-identical", async () => {
      const bytes = await storeAttachments(bucket, "ses");
      const to = `petugas@${stack.id}.example`;
      const sent = await mailer.send(await replyWithAttachments(bucket, "ses", to));

      const [received, ...others] = await stack.mailbox.to(to);
      expect(others).toHaveLength(0);
      expect(received?.messageId).toBe(sent.messageId);
      expect(received?.subject).toBe(SUBJECT);
      expect(received?.from).toContain("noreply@isikhnas.example");
      expect(received?.body.text?.trim()).toBe("Terlampir rekap mingguan.");
      const attachments = received?.attachments ?? [];
      expect(attachments.map((attachment) => attachment.filename)).toEqual([
        "data-mentah.bin",
        WORKBOOK_NAME,
      ]);
      expect(Buffer.from(attachments[0]?.content ?? "", "base64").equals(bytes.raw)).toBe(true);
      expect(Buffer.from(attachments[1]?.content ?? "", "base64").equals(bytes.workbook)).toBe(true);
      expect(attachments[1]?.contentType).toBe(XLSX);
    });

    it("refuses a message over the size cap before SES sees it, closing the attachment streams", async () => {
      await bucket.put("big/blob.bin", randomBytes(2 * 1024 * 1024));
      const small = createSesMailer({ ses }, { defaultFrom: from, maxMessageBytes: 1024 * 1024 });
      const blob = (await bucket.get("big/blob.bin")).body;
      const to = `besar@${stack.id}.example`;
      const failure = await small
        .send({
          to,
          subject: "besar",
          text: "x",
          attachments: [{ filename: "blob.bin", contentType: "application/octet-stream", content: blob }],
        })
        .catch((error: unknown) => error);
      expect(isPlatformError(failure, "PAYLOAD_TOO_LARGE")).toBe(true);
      expect(blob.destroyed).toBe(true);
      expect(await stack.mailbox.to(to)).toEqual([]);
    });
  });

  describe("the composed message", () => {
    it("carries threading headers, custom headers and non-ASCII subject and file names", async () => {
      await storeAttachments(bucket, "compose");
      const raw = await composeMessage(
        await replyWithAttachments(bucket, "compose", "petugas@dinas.example"),
        {
          defaultFrom: from,
          maxBytes: 10 * 1024 * 1024,
        },
      );
      // Headers are 7-bit on the wire: non-ASCII travels as encoded words.
      const headerBlock = raw.subarray(0, raw.indexOf("\r\n\r\n"));
      expect(headerBlock.every((byte) => byte < 0x80)).toBe(true);
      const parsed = await simpleParser(raw);
      expect(parsed.inReplyTo).toBe("<original-request@mail.example>");
      expect(parsed.references).toEqual(["<first@mail.example>", "<original-request@mail.example>"]);
      expect(parsed.headers.get("x-isikhnas-report")).toBe("weekly-rekap");
      expect(parsed.subject).toBe(SUBJECT);
      expect(parsed.messageId).toMatch(/^<.+@isikhnas\.example>$/);
      expect(parsed.attachments.map((attachment) => attachment.filename)).toEqual([
        "data-mentah.bin",
        WORKBOOK_NAME,
      ]);
    });
  });

  describe("through SMTP", () => {
    let server: SMTPServer;
    let url: string;
    const received: Buffer[] = [];

    beforeAll(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith("unknown@")) {
            callback(Object.assign(new Error("No such user"), { responseCode: 550 }));
          } else if (address.address.startsWith("busy@")) {
            callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
          } else {
            callback();
          }
        },
        onData(stream, _session, callback) {
          buffer(stream).then((message) => {
            received.push(message);
            callback();
          }, callback);
        },
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("delivers the same message, attachments byte-identical, threading headers intact", async () => {
      const bytes = await storeAttachments(bucket, "smtp");
      const config = parseConfig(mailSchema, { MAIL_TRANSPORT: "smtp", MAIL_FROM: from, SMTP_URL: url });
      const mailer = createMailer(config, { ses });
      const sent = await mailer.send(await replyWithAttachments(bucket, "smtp", "petugas@dinas.example"));
      await mailer.close();

      const message = received.at(-1);
      expect(message).toBeDefined();
      const parsed = await simpleParser(message ?? Buffer.alloc(0));
      expect(parsed.messageId).toBe(sent.messageId);
      expect(parsed.subject).toBe(SUBJECT);
      expect(parsed.inReplyTo).toBe("<original-request@mail.example>");
      expect(parsed.references).toEqual(["<first@mail.example>", "<original-request@mail.example>"]);
      expect(parsed.attachments.map((attachment) => attachment.filename)).toEqual([
        "data-mentah.bin",
        WORKBOOK_NAME,
      ]);
      expect(parsed.attachments[0]?.content.equals(bytes.raw)).toBe(true);
      expect(parsed.attachments[1]?.content.equals(bytes.workbook)).toBe(true);
    });

    it("reports a refused recipient as permanent and a deferral as transient", async () => {
      const mailer = createSmtpMailer({ defaultFrom: from, url });
      const attempt = (to: string) =>
        mailer.send({ to, subject: "uji", text: "uji" }).catch((error: unknown) => error);
      expect(isPlatformError(await attempt("unknown@dinas.example"), "PERMANENT")).toBe(true);
      expect(isPlatformError(await attempt("busy@dinas.example"), "TRANSIENT")).toBe(true);
      await mailer.close();
    });
  });

  describe("through an SMTP relay that accepts and never answers", () => {
    let silent: Server;
    let silentUrl = "";
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.resume();
      });
      silent.listen(0, "127.0.0.1");
      await once(silent, "listening");
      silentUrl = `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await once(silent, "close");
    });

    it("gives up within the configured timeout, as a transient failure", async () => {
      const config = parseConfig(mailSchema, {
        MAIL_TRANSPORT: "smtp",
        MAIL_FROM: from,
        SMTP_URL: silentUrl,
        SMTP_CONNECT_TIMEOUT_MS: "300",
        SMTP_SOCKET_TIMEOUT_MS: "300",
      });
      const mailer = createMailer(config, { ses });
      // A guard far above the timeout: without the setting the relay would hold the send for 30 s.
      const guard = new AbortController();
      const guardTimer = setTimeout(() => guard.abort(), 10_000);
      const outcome = await Promise.race([
        mailer
          .send({ to: "petugas@dinas.example", subject: "uji", text: "uji" })
          .catch((error: unknown) => error),
        once(guard.signal, "abort").then(() => "still waiting"),
      ]);
      clearTimeout(guardTimer);
      await mailer.close();
      expect(isPlatformError(outcome, "TRANSIENT")).toBe(true);
      expect(String((outcome as Error).message)).toMatch(/timeout/i);
    });
  });

  describe("through an SMTP relay that takes the message data and never answers it", () => {
    let relay: SMTPServer;
    let relayUrl = "";
    let delivered = 0;

    beforeAll(async () => {
      relay = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onData(stream) {
          // Reads the whole message, then never says whether it was queued.
          buffer(stream).then(() => {
            delivered += 1;
          });
        },
      });
      await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
      relayUrl = `smtp://127.0.0.1:${(relay.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    });

    it("reports the outcome as unknown, never as a failure worth retrying", async () => {
      const mailer = createSmtpMailer({
        defaultFrom: from,
        url: relayUrl,
        transport: { connectionTimeout: 2_000, greetingTimeout: 2_000, socketTimeout: 300 },
      });
      const outcome = await mailer
        .send({ to: "petugas@dinas.example", subject: "uji", text: "uji" })
        .catch((error: unknown) => error);
      await mailer.close();
      expect(delivered).toBe(1);
      expect(isPlatformError(outcome, "OUTCOME_UNKNOWN")).toBe(true);
      expect(String((outcome as Error).message)).toMatch(/timeout/i);
    });
  });

  describe("configuration", () => {
    it("defaults to SES and insists on SMTP_URL for the SMTP transport", () => {
      const defaults = parseConfig(mailSchema, { MAIL_FROM: "noreply@isikhnas.example" });
      expect(defaults.MAIL_TRANSPORT).toBe("ses");
      expect(() => parseConfig(mailSchema, { MAIL_FROM: "nobody" })).toThrow(/MAIL_FROM/);
      expect(() => parseConfig(mailSchema, { MAIL_FROM: "a@b.c", SMTP_URL: "http://relay" })).toThrow(
        /SMTP_URL/,
      );
      const smtp = parseConfig(mailSchema, { MAIL_TRANSPORT: "smtp", MAIL_FROM: "a@b.c" });
      expect(() => createMailer(smtp, { ses })).toThrow(ConfigError);
    });
  });
});
