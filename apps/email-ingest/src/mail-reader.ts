// Reads a stored mail with mailparser, streaming: the header first (so the sender can be
// checked before any attachment is touched), then each attachment as a stream that is
// passed on while it is decoded. Attachments inside an attached message/rfc822 (a
// forwarded mail) come out like the others.
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PlatformError, toError } from "@isikhnas/platform";
import { type AddressObject, type AttachmentStream, type Headers, MailParser } from "mailparser";

export interface MailHeader {
  from: { address: string; name?: string } | undefined;
  subject: string;
  messageId: string | undefined;
  references: string[];
  authenticationResults: string[];
  sesSpamVerdict: string | undefined;
  sesVirusVerdict: string | undefined;
  /** Addresses of To, Cc, Delivered-To and X-Original-To: where the envelope is unknown. */
  addressedTo: string[];
  /** An auto-reply, bounce or list mail: never answered, to avoid mail loops. */
  automatic: boolean;
}

export interface MailPart {
  filename: string | undefined;
  contentType: string;
  /** Embedded in the HTML body (cid:), e.g. a logo in a signature. */
  related: boolean;
  /** Read it to the end; the parser waits for it. */
  content: Readable;
}

export interface OpenMail {
  header: MailHeader;
  /** The attachments in order; each must be consumed before the next is yielded. */
  parts(): AsyncGenerator<MailPart>;
  /** Stops parsing (the rest of the mail is not needed). */
  close(): void;
}

const PARSER_OPTIONS = {
  checksumAlgo: false as const,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
};

/**
 * Header text as the database and SQS can carry it: PostgreSQL text holds no NUL, and SQS
 * refuses other control characters (the emulator C1 ones too), U+FFFE/U+FFFF and lone
 * surrogates. Broken 8-bit headers and encoded words produce all of them.
 */
export function carriable(value: string): string {
  return value.replace(LONE_SURROGATE, "\ufffd").replace(NOT_CARRIABLE, "");
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are the characters it removes
const NOT_CARRIABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

/** The contract's (and RFC 5322's) longest line; a longer Message-ID is kept as its hash. */
const MAX_MESSAGE_ID = 998;

function boundedMessageId(value: string | undefined): string | undefined {
  const id = value === undefined ? "" : carriable(value).trim();
  if (!id) return undefined;
  if (id.length <= MAX_MESSAGE_ID) return id;
  return `<${createHash("sha256").update(id).digest("hex")}@long-message-id.isikhnas.invalid>`;
}

function text(headers: Headers, name: string): string | undefined {
  const value = headers.get(name);
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}

function texts(headers: Headers, name: string): string[] {
  const value = headers.get(name);
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

function messageIds(value: string[]): string[] {
  return value.flatMap((item) => item.match(/<[^<>\s]+>/g) ?? []);
}

export function readHeader(headers: Headers): MailHeader {
  const from = headers.get("from") as AddressObject | undefined;
  const first = from?.value?.find((entry) => entry.address);
  const autoSubmitted = text(headers, "auto-submitted")?.toLowerCase();
  const addressedTo = ["to", "cc"].flatMap((name) => {
    const value = headers.get(name) as AddressObject | AddressObject[] | undefined;
    return [value ?? []].flat().flatMap((object) => object.value.map((entry) => entry.address ?? ""));
  });
  addressedTo.push(...texts(headers, "delivered-to"), ...texts(headers, "x-original-to"));
  const precedence = text(headers, "precedence")?.toLowerCase();
  return {
    from: first?.address
      ? {
          address: first.address.toLowerCase(),
          ...(first.name && carriable(first.name) ? { name: carriable(first.name).slice(0, 256) } : {}),
        }
      : undefined,
    subject: carriable(text(headers, "subject") ?? "").slice(0, 998),
    messageId: boundedMessageId(text(headers, "message-id")),
    references: messageIds(texts(headers, "references").map(carriable))
      .filter((id) => id.length <= MAX_MESSAGE_ID)
      .slice(-50),
    addressedTo: addressedTo.map((address) => address.trim()).filter(Boolean),
    authenticationResults: texts(headers, "authentication-results"),
    sesSpamVerdict: text(headers, "x-ses-spam-verdict"),
    sesVirusVerdict: text(headers, "x-ses-virus-verdict"),
    automatic:
      (autoSubmitted !== undefined && autoSubmitted !== "no") ||
      precedence === "bulk" ||
      precedence === "junk" ||
      precedence === "list" ||
      headers.has("list-id"),
  };
}

/** mailsplit's default, and the parts a mail may have when the caller sets none. */
export const DEFAULT_MAX_PARTS = 1000;

/** A parser failure is the mail's fault (it cannot be read), unless reading the source failed. */
function unreadable(error: unknown, source: { error?: unknown }, maxParts: number): unknown {
  if (source.error !== undefined) return source.error;
  const detail = error instanceof Error ? error.message : String(error);
  if (detail === "Max allowed child nodes exceeded") {
    return new PlatformError(
      "SCHEMA_INVALID",
      `the mail has more than ${maxParts} parts (attachments); it was not read past them`,
      { cause: error },
    );
  }
  return new PlatformError("SCHEMA_INVALID", `the mail cannot be read: ${detail}`, { cause: error });
}

async function headersOf(
  parser: MailParser,
  source: { error?: unknown } = {},
  maxParts = DEFAULT_MAX_PARTS,
): Promise<Headers> {
  const headers = once(parser, "headers") as Promise<[Headers]>;
  const failed = once(parser, "error").then(([error]) => Promise.reject(unreadable(error, source, maxParts)));
  const ended = once(parser, "end").then(() =>
    Promise.reject(new PlatformError("SCHEMA_INVALID", "not a mail: no header block")),
  );
  failed.catch(() => {});
  ended.catch(() => {});
  const [value] = await Promise.race([headers, failed, ended]);
  return value;
}

export interface OpenMailOptions {
  /** MIME parts (attachments, bodies, inline images) read before the mail is refused as too many. */
  maxParts?: number | undefined;
}

export async function openMail(source: Readable, options: OpenMailOptions = {}): Promise<OpenMail> {
  const maxParts = options.maxParts ?? DEFAULT_MAX_PARTS;
  const parser = new MailParser({ ...PARSER_OPTIONS, maxChildNodes: maxParts });
  const read: { error?: unknown } = {};
  source.once("error", (error) => {
    read.error = error;
  });
  // The splitter reads ahead of the part being consumed, so it can fail (too many parts,
  // a damaged part further on) while that part is open. The part's stream would then
  // neither end nor fail, and its reader would wait for ever: fail it with the mail's error.
  let open: Readable | undefined;
  parser.on("error", (error) => {
    if (open && !open.readableEnded) open.destroy(toError(unreadable(error, read, maxParts)));
  });
  const feeding = pipeline(source, parser).catch(() => {});
  const header = readHeader(await headersOf(parser, read, maxParts));
  return {
    header,
    async *parts() {
      const iterator = (parser as AsyncIterable<AttachmentStream | { type: "text" }>)[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<AttachmentStream | { type: "text" }>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw unreadable(error, read, maxParts);
        }
        if (next.done) break;
        const part = next.value;
        if (part.type !== "attachment") continue;
        open = part.content;
        try {
          yield {
            // mailparser leaves both unset (or not text) when a part's header is damaged.
            filename: typeof part.filename === "string" ? part.filename : undefined,
            contentType:
              typeof part.contentType === "string"
                ? part.contentType.toLowerCase()
                : "application/octet-stream",
            related: part.related === true,
            content: part.content,
          };
        } finally {
          open = undefined;
          // Whatever the consumer did, the parser only moves on once the part is drained.
          if (!part.content.readableEnded) part.content.resume();
          part.release?.();
        }
      }
      await feeding;
    },
    close() {
      parser.destroy();
      source.destroy();
    },
  };
}

/** Forwarded mail nests; three levels are more than any mail client makes. */
const MAX_NESTING = 3;

/**
 * The attachments of a mail with every attached message (message/rfc822, e.g. a mail
 * forwarded as an attachment) opened and its own attachments listed in its place.
 */
export async function* flattenParts(
  parts: AsyncGenerator<MailPart>,
  options: OpenMailOptions = {},
  depth = 0,
): AsyncGenerator<MailPart> {
  for await (const part of parts) {
    if (part.contentType === "message/rfc822" && depth < MAX_NESTING) {
      const inner = await openMail(part.content, options);
      yield* flattenParts(inner.parts(), options, depth + 1);
    } else {
      yield part;
    }
  }
}

/** The header of a mail from its first bytes alone (a mail too large to read whole). */
export async function readHeaderFrom(head: Buffer): Promise<MailHeader | undefined> {
  const parser = new MailParser(PARSER_OPTIONS);
  parser.on("error", () => {});
  parser.end(head);
  parser.resume();
  try {
    return readHeader(await headersOf(parser));
  } catch {
    return undefined;
  } finally {
    parser.destroy();
  }
}
