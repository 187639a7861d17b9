// emailoutput: a mail to send (any daemon → email-sender). A broadcast names a recipient
// list object instead of inline addresses; each recipient gets a message of their own.
import { z } from "zod";
import { bucketRef, emailAddress, environment, idempotencyKey } from "./common.js";

export const MAX_INLINE_RECIPIENTS = 50;

export const emailAttachment = bucketRef.extend({
  filename: z.string().min(1).max(255),
  contentType: z.string().max(255).default("application/octet-stream"),
  /**
   * Set for an image the HTML body shows as `<img src="cid:…">`: sent inline in a
   * multipart/related part (mail clients block SVG and data: URIs, not cid: images).
   */
  cid: z
    .string()
    .regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/, "a content id like chart-1@isikhnas")
    .optional(),
});
export type EmailAttachment = z.infer<typeof emailAttachment>;

export const emailOutputV1 = z
  .object({
    type: z.literal("emailoutput"),
    version: z.literal(1),
    /** Unique per mail to send; the sender keeps one row per id and never sends it twice. */
    id: idempotencyKey,
    environment,
    /** Inline recipients, each sent a separate copy. */
    to: z.array(emailAddress).max(MAX_INLINE_RECIPIENTS).default([]),
    /** A bucket object with one address per line, for broadcasts too large to inline. */
    recipientList: bucketRef.optional(),
    /** Defaults to the deployment's configured From address. */
    from: emailAddress.optional(),
    replyTo: emailAddress.optional(),
    subject: z.string().min(1).max(998),
    text: z.string().max(100_000),
    html: z.string().max(200_000).optional(),
    /** When answering a mail: its Message-ID, and the References chain. */
    inReplyTo: z.string().max(998).optional(),
    references: z.array(z.string().max(998)).max(50).default([]),
    attachments: z.array(emailAttachment).max(20).default([]),
  })
  .refine((message) => message.to.length > 0 || message.recipientList !== undefined, {
    message: "needs `to` or `recipientList`",
    path: ["to"],
  });
export type EmailOutputV1 = z.infer<typeof emailOutputV1>;

export const emailOutput = emailOutputV1;
export type EmailOutput = z.infer<typeof emailOutput>;
