// emailinput: one message per Excel attachment of an accepted inbound mail
// (email-ingest → excel-processor).
import { z } from "zod";
import { bucketRef, emailAddress, environment, idempotencyKey, sha256Hex } from "./common.js";

export const emailInputV1 = z.object({
  type: z.literal("emailinput"),
  version: z.literal(1),
  /** Message-ID of the mail + SHA-256 of the attachment. */
  id: idempotencyKey,
  environment,
  receivedAt: z.iso.datetime({ offset: true }),
  sender: z.object({ address: emailAddress, name: z.string().max(256).optional() }),
  /** The address the mail was sent to (selects the environment and the reply's From). */
  recipient: emailAddress,
  subject: z.string().max(998),
  /** RFC 5322 Message-ID of the inbound mail, for In-Reply-To on the answer. */
  messageId: z.string().min(1).max(998),
  references: z.array(z.string().max(998)).max(50).default([]),
  attachment: bucketRef.extend({
    filename: z.string().min(1).max(255),
    contentType: z.string().max(255),
    size: z.number().int().nonnegative(),
    sha256: sha256Hex,
  }),
  rawMail: bucketRef,
});
export type EmailInputV1 = z.infer<typeof emailInputV1>;

export const emailInput = z.discriminatedUnion("version", [emailInputV1]);
export type EmailInput = z.infer<typeof emailInput>;
