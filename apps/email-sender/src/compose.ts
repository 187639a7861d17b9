// An emailoutput message as the mail one recipient gets. Attachments come from the
// emailattachments and reports buckets: streamed into the message for a single
// recipient; read once and reused when many recipients get the same files.
import type { EmailOutput } from "@isikhnas/contracts";
import type { Bucket, OutgoingAttachment, OutgoingMail } from "@isikhnas/platform";

export type AttachmentBuckets = Readonly<Record<EmailOutput["attachments"][number]["bucket"], Bucket>>;

export async function prepareAttachments(
  buckets: AttachmentBuckets,
  message: EmailOutput,
  options: { reuse: boolean; signal?: AbortSignal | undefined },
): Promise<OutgoingAttachment[]> {
  return Promise.all(
    message.attachments.map(async (attachment): Promise<OutgoingAttachment> => {
      const bucket = buckets[attachment.bucket];
      const open = async () =>
        (await bucket.get(attachment.key, options.signal ? { signal: options.signal } : {})).body;
      const described = {
        filename: attachment.filename,
        contentType: attachment.contentType,
        ...(attachment.cid ? { cid: attachment.cid } : {}),
      };
      if (!options.reuse) return { ...described, content: open };
      const body = await open();
      return { ...described, content: Buffer.concat(await body.toArray()) };
    }),
  );
}

export function mailFor(
  message: EmailOutput,
  recipient: string,
  attachments: readonly OutgoingAttachment[],
): OutgoingMail {
  return {
    ...(message.from ? { from: message.from } : {}),
    to: recipient,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    ...(message.references.length > 0 ? { references: message.references } : {}),
    attachments,
  };
}
