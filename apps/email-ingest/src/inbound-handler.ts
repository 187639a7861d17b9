// SES inbound: a receipt rule stored the raw mail in a bucket and a notification (SNS
// wrapped or a plain S3 event) arrived on mailinbound. The notification is AWS's own
// shape, so the consumer reads it with parseMailInbound instead of a catalog schema.
import type { S3Client } from "@aws-sdk/client-s3";
import { type InboundMailRef, parseMailInbound } from "@isikhnas/contracts";
import {
  createBucket,
  type HandlerContext,
  type Outcome,
  outcome,
  type ParseResult,
} from "@isikhnas/platform";
import {
  answerOversizeMail,
  type IngestDeps,
  type IngestResult,
  ingestStoredMail,
  mailLogger,
} from "./ingest.js";
import { HEAD_BYTES } from "./size-limit.js";

/** Reads a mailinbound message; S3's test event (sent when notifications are set up) holds no mail. */
export function parseMailInboundMessage(body: unknown): ParseResult<InboundMailRef[]> {
  if (typeof body === "object" && body !== null && (body as { Event?: unknown }).Event === "s3:TestEvent") {
    return { ok: true, value: [] };
  }
  const parsed = parseMailInbound(body);
  return parsed.ok ? { ok: true, value: parsed.mails } : parsed;
}

async function readHead(body: NodeJS.ReadableStream & { destroy(): void }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= HEAD_BYTES) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, HEAD_BYTES);
}

export function createMailInboundHandler(deps: IngestDeps & { s3: S3Client }) {
  const { rawmail } = deps.buckets;
  return async (mails: InboundMailRef[], context: HandlerContext): Promise<Outcome> => {
    // Logged under the mail's own id, which the messages it caused carry on, rather than
    // under the id of the notification that announced it.
    const handled = (result: IngestResult, rawKey: string) =>
      (result.messageId
        ? mailLogger(deps.logger, result, { notificationId: context.messageId })
        : context.logger
      ).info({ ...result, rawKey }, "inbound mail handled");
    for (const mail of mails) {
      let key = mail.key;
      if (mail.bucket !== rawmail.physicalName) {
        // Stored elsewhere by the receipt rule: keep the mail as received in rawmail first.
        const source = createBucket({ s3: deps.s3 }, { name: mail.bucket, prefix: "" });
        key = `ses/${mail.bucket}/${mail.key}`;
        const object = await source.get(mail.key, { signal: context.signal });
        await rawmail.put(key, object.body, { contentType: "message/rfc822", signal: context.signal });
      }
      const info = await rawmail.head(key, { signal: context.signal });
      if (!info) {
        context.logger.warn({ bucket: mail.bucket, key: mail.key }, "inbound mail object is missing");
        return outcome.reject(`object ${mail.bucket}/${mail.key} does not exist`);
      }
      if (info.size > deps.settings.maxMailBytes) {
        const object = await rawmail.get(key, { signal: context.signal });
        const head = await readHead(object.body);
        const result = await answerOversizeMail(deps, { ...mail, head, size: info.size });
        handled(result, key);
        continue;
      }
      const result = await ingestStoredMail(
        deps,
        // SES names the object after its own message id: stable across redeliveries.
        { ...mail, key, size: info.size, identity: `${mail.bucket}/${mail.key}` },
        context.signal,
      );
      handled(result, key);
    }
    return outcome.done();
  };
}
