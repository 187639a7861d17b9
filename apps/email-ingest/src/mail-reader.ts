// Reads a stored mail with mailparser, streaming: the header first (so the sender can be
// checked before any attachment is touched), then each attachment as a stream that is
// passed on while it is decoded. Attachments inside an attached message/rfc822 (a
// forwarded mail) come out like the others.
import { once } from "node:events";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PlatformError } from "@isikhnas/platform";
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
      ? { address: first.address.toLowerCase(), ...(first.name ? { name: first.name.slice(0, 256) } : {}) }
      : undefined,
    subject: (text(headers, "subject") ?? "").slice(0, 998),
    messageId: text(headers, "message-id")?.trim() || undefined,
    references: messageIds(texts(headers, "references")).slice(-50),
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

async function headersOf(parser: MailParser): Promise<Headers> {
  const headers = once(parser, "headers") as Promise<[Headers]>;
  const failed = once(parser, "error").then(([error]) => Promise.reject(error));
  const ended = once(parser, "end").then(() =>
    Promise.reject(new PlatformError("SCHEMA_INVALID", "not a mail: no header block")),
  );
  failed.catch(() => {});
  ended.catch(() => {});
  const [value] = await Promise.race([headers, failed, ended]);
  return value;
}

export async function openMail(source: Readable): Promise<OpenMail> {
  const parser = new MailParser(PARSER_OPTIONS);
  const feeding = pipeline(source, parser).catch(() => {});
  const header = readHeader(await headersOf(parser));
  return {
    header,
    async *parts() {
      for await (const part of parser as AsyncIterable<AttachmentStream | { type: "text" }>) {
        if (part.type !== "attachment") continue;
        try {
          yield {
            filename: part.filename,
            contentType: part.contentType.toLowerCase(),
            related: part.related === true,
            content: part.content,
          };
        } finally {
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
export async function* flattenParts(parts: AsyncGenerator<MailPart>, depth = 0): AsyncGenerator<MailPart> {
  for await (const part of parts) {
    if (part.contentType === "message/rfc822" && depth < MAX_NESTING) {
      const inner = await openMail(part.content);
      yield* flattenParts(inner.parts(), depth + 1);
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
