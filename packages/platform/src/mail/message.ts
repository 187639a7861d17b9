// Outgoing mail as the system describes it, and its translation into a MIME message by
// nodemailer, with attachments streamed into the message rather than loaded first.
import type { Readable } from "node:stream";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import { isPlatformError, PlatformError } from "../errors.js";

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  /** A stream (e.g. `bucket.get(key).body`), bytes, or a function that opens the stream when sending. */
  content: Readable | Buffer | (() => Promise<Readable>);
  /** Content id of an inline image the HTML body refers to as `cid:…`. */
  cid?: string;
}

export interface OutgoingMail {
  /** Defaults to the mailer's configured sender. */
  from?: string;
  to: string | readonly string[];
  cc?: string | readonly string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  /** Message-ID this mail answers, so clients thread the reply. */
  inReplyTo?: string;
  references?: string | readonly string[];
  headers?: Readonly<Record<string, string>>;
  attachments?: readonly OutgoingAttachment[];
}

/** Opens the attachments that are still functions; closes what was opened if one fails. */
export async function openAttachments(mail: OutgoingMail): Promise<OutgoingMail> {
  const attachments = mail.attachments ?? [];
  const opened = await Promise.allSettled(
    attachments.map(async (attachment) =>
      typeof attachment.content === "function"
        ? { ...attachment, content: await attachment.content() }
        : attachment,
    ),
  );
  const failed = opened.find((result) => result.status === "rejected");
  if (failed) {
    for (const result of opened) {
      if (result.status === "fulfilled") closeContent(result.value.content);
    }
    throw failed.reason;
  }
  return {
    ...mail,
    attachments: opened.map((result) => (result as PromiseFulfilledResult<OutgoingAttachment>).value),
  };
}

/** Releases attachment streams that will not be read (a send that failed before reading them). */
export function closeAttachments(mail: OutgoingMail): void {
  for (const attachment of mail.attachments ?? []) closeContent(attachment.content);
}

function closeContent(content: OutgoingAttachment["content"]): void {
  if (typeof content !== "function" && !Buffer.isBuffer(content)) content.destroy();
}

/** Nodemailer's options for a mail whose attachments are already open. */
export function toMailOptions(mail: OutgoingMail, defaultFrom: string): Mail.Options {
  return {
    from: mail.from ?? defaultFrom,
    to: list(mail.to),
    ...(mail.cc === undefined ? {} : { cc: list(mail.cc) }),
    ...(mail.replyTo === undefined ? {} : { replyTo: mail.replyTo }),
    subject: mail.subject,
    text: mail.text,
    ...(mail.html === undefined ? {} : { html: mail.html }),
    ...(mail.inReplyTo === undefined ? {} : { inReplyTo: mail.inReplyTo }),
    ...(mail.references === undefined ? {} : { references: list(mail.references) }),
    ...(mail.headers === undefined ? {} : { headers: { ...mail.headers } }),
    attachments: (mail.attachments ?? []).map((attachment) => {
      if (typeof attachment.content === "function") {
        throw new PlatformError("SCHEMA_INVALID", `attachment ${attachment.filename} was not opened`);
      }
      return {
        filename: attachment.filename,
        contentType: attachment.contentType,
        content: attachment.content,
        ...(attachment.cid === undefined
          ? {}
          : { cid: attachment.cid, contentDisposition: "inline" as const }),
      };
    }),
  };
}

/**
 * The raw RFC 5322 message, with attachments read from their streams as it is built.
 * Stops reading and fails with PAYLOAD_TOO_LARGE once the message exceeds `maxBytes`.
 */
export async function composeMessage(
  mail: OutgoingMail,
  options: { defaultFrom: string; maxBytes: number },
): Promise<Buffer> {
  const opened = await openAttachments(mail);
  const message = new MailComposer(toMailOptions(opened, options.defaultFrom)).compile();
  const stream = message.createReadStream();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > options.maxBytes) {
        throw new PlatformError("PAYLOAD_TOO_LARGE", `message exceeds ${options.maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    closeAttachments(opened);
    if (isPlatformError(error)) throw error;
    // An attachment stream broke (a bucket read cut short, say): worth another try.
    throw new PlatformError("TRANSIENT", `composing the message failed: ${describe(error)}`, {
      cause: error,
    });
  }
  return Buffer.concat(chunks, size);
}

function list(value: string | readonly string[]): string[] {
  return typeof value === "string" ? [value] : [...value];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
