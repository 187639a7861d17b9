// Answer mails as emailoutput messages. Their ids are derived from what they answer (the
// upload, or the inbound message when no upload was recorded), so a redelivered
// message produces the same id and the e-mail sender sends it once.
import { createHash } from "node:crypto";
import type { EmailAttachment, EmailInput, MessageInputOf } from "@isikhnas/contracts";
import type { Reply } from "./replies.js";

export type AnswerKind = "unregistered" | "bad-file" | "not-permitted" | "duplicate";

export function uploadAnswerId(message: EmailInput, uploadId: number): string {
  return `excel-processor:upload:${message.environment}:${uploadId}`;
}

export function messageAnswerId(message: EmailInput, kind: AnswerKind): string {
  const digest = createHash("sha256").update(message.id).digest("hex");
  return `excel-processor:${kind}:${message.environment}:${digest}`;
}

export function answerEmail(
  message: EmailInput,
  id: string,
  reply: Reply,
  attachments: EmailAttachment[] = [],
): MessageInputOf<"emailoutput"> {
  return {
    type: "emailoutput",
    version: 1,
    id,
    environment: message.environment,
    to: [message.sender.address],
    // The alias the sender wrote to: live and training answer from their own address.
    from: message.recipient,
    subject: reply.subject,
    text: reply.text,
    inReplyTo: message.messageId,
    references: [...message.references, message.messageId].slice(-50),
    attachments,
  };
}

export function labClientReportRequest(
  message: EmailInput,
  upload: { id: number; submissionId: number },
): MessageInputOf<"reportrequest"> {
  return {
    type: "reportrequest",
    version: 1,
    id: `lab-client-report:${message.environment}:${upload.submissionId}`,
    environment: message.environment,
    report: "lab-client-report",
    parameters: { submissionId: upload.submissionId, uploadId: upload.id },
    recipients: [message.sender.address],
    inReplyTo: message.messageId,
  };
}
