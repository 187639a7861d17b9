// mailinbound: SES inbound notifications. A receipt rule stores the raw mail in the
// rawmail bucket and notifies through SNS (wrapped) or an S3 event; both shapes are AWS's
// own, so these schemas accept what AWS sends and keep only what is needed.
import { z } from "zod";

const verdict = z.object({ status: z.string() }).optional();

/** The SES notification (action type S3) inside an SNS envelope's `Message`. */
export const sesReceiptNotification = z.object({
  notificationType: z.literal("Received"),
  mail: z.object({
    messageId: z.string(),
    source: z.string().optional(),
    destination: z.array(z.string()).default([]),
  }),
  receipt: z.object({
    recipients: z.array(z.string()).default([]),
    spfVerdict: verdict,
    dkimVerdict: verdict,
    dmarcVerdict: verdict,
    spamVerdict: verdict,
    virusVerdict: verdict,
    action: z.object({
      type: z.string(),
      bucketName: z.string().optional(),
      objectKey: z.string().optional(),
    }),
  }),
});
export type SesReceiptNotification = z.infer<typeof sesReceiptNotification>;

export const snsEnvelope = z.object({
  Type: z.literal("Notification"),
  MessageId: z.string(),
  Message: z.string(),
});

export const s3EventNotification = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal("aws:s3"),
        eventName: z.string(),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({ key: z.string(), size: z.number().optional() }),
        }),
      }),
    )
    .min(1),
});

export type Verdicts = Partial<Record<"spf" | "dkim" | "dmarc" | "spam" | "virus", string>>;

/** One stored raw mail to ingest. */
export interface InboundMailRef {
  /** Physical bucket name as AWS reports it. */
  bucket: string;
  key: string;
  recipients: string[];
  verdicts: Verdicts;
}

export type MailInboundParseResult = { ok: true; mails: InboundMailRef[] } | { ok: false; reason: string };

/** Accepts both shapes (SNS-wrapped SES notification, plain S3 event) and normalises them. */
export function parseMailInbound(body: unknown): MailInboundParseResult {
  const sns = snsEnvelope.safeParse(body);
  if (sns.success) {
    let inner: unknown;
    try {
      inner = JSON.parse(sns.data.Message);
    } catch {
      return { ok: false, reason: "SNS Message is not JSON" };
    }
    // SNS may also wrap an S3 event (S3 → SNS → SQS).
    const wrappedEvent = s3EventNotification.safeParse(inner);
    if (wrappedEvent.success) return fromS3Event(wrappedEvent.data);
    const ses = sesReceiptNotification.safeParse(inner);
    if (!ses.success) return { ok: false, reason: `not an SES receipt notification: ${ses.error.message}` };
    const { action } = ses.data.receipt;
    if (action.type !== "S3" || !action.bucketName || !action.objectKey) {
      return { ok: false, reason: `receipt action ${action.type} stores no object in S3` };
    }
    const receipt = ses.data.receipt;
    const verdicts: Verdicts = {};
    if (receipt.spfVerdict) verdicts.spf = receipt.spfVerdict.status;
    if (receipt.dkimVerdict) verdicts.dkim = receipt.dkimVerdict.status;
    if (receipt.dmarcVerdict) verdicts.dmarc = receipt.dmarcVerdict.status;
    if (receipt.spamVerdict) verdicts.spam = receipt.spamVerdict.status;
    if (receipt.virusVerdict) verdicts.virus = receipt.virusVerdict.status;
    return {
      ok: true,
      mails: [
        {
          bucket: action.bucketName,
          key: action.objectKey,
          recipients: receipt.recipients.length > 0 ? receipt.recipients : ses.data.mail.destination,
          verdicts,
        },
      ],
    };
  }
  const event = s3EventNotification.safeParse(body);
  if (event.success) return fromS3Event(event.data);
  return { ok: false, reason: "neither an SNS notification nor an S3 event" };
}

function fromS3Event(event: z.infer<typeof s3EventNotification>): MailInboundParseResult {
  const mails = event.Records.filter((record) => record.eventName.startsWith("ObjectCreated")).map(
    (record) => ({
      bucket: record.s3.bucket.name,
      // S3 event keys are URL-encoded with '+' for spaces.
      key: decodeURIComponent(record.s3.object.key.replace(/\+/g, " ")),
      recipients: [],
      verdicts: {},
    }),
  );
  if (mails.length === 0) return { ok: false, reason: "S3 event has no ObjectCreated record" };
  return { ok: true, mails };
}
