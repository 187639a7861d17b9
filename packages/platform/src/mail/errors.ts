// Failures of a send, classified once: TRANSIENT (throttled, unavailable: retry later),
// PERMANENT (the message or an address was refused: retrying cannot help) or, for SMTP,
// OUTCOME_UNKNOWN (the relay may have queued it: sending again could deliver it twice).
import { PlatformError } from "../errors.js";

const SES_THROTTLED = new Set([
  "TooManyRequestsException",
  "Throttling",
  "ThrottlingException",
  "LimitExceededException",
]);
const SES_REFUSED = new Set([
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "BadRequestException",
  "InvalidParameterValue",
]);

interface ServiceErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Classifies an error from the SES v2 API. Anything unrecognised counts as transient. */
export function classifySesError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as ServiceErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "UnknownError";
  const status =
    typeof shape.$metadata?.httpStatusCode === "number" ? shape.$metadata.httpStatusCode : undefined;
  const message = `SES refused the mail: ${name}${error instanceof Error && error.message ? ` (${error.message})` : ""}`;
  if (SES_THROTTLED.has(name) || status === 429 || status === 503) {
    return new PlatformError("TRANSIENT", message, { cause: error });
  }
  if (SES_REFUSED.has(name) || status === 400) {
    return new PlatformError("PERMANENT", message, { cause: error });
  }
  return new PlatformError("TRANSIENT", message, { cause: error });
}

interface SmtpErrorShape {
  responseCode?: unknown;
  code?: unknown;
}

/**
 * Classifies an error from nodemailer's SMTP transport by the server's reply code. Once the
 * relay has said go ahead to DATA (`dataHandedOver`), a failure without its reply (a
 * timeout, a dropped connection) leaves the mail possibly queued: OUTCOME_UNKNOWN.
 */
export function classifySmtpError(error: unknown, stage: { dataHandedOver?: boolean } = {}): PlatformError {
  if (error instanceof PlatformError) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as SmtpErrorShape;
  const reply = typeof shape.responseCode === "number" ? shape.responseCode : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  if (stage.dataHandedOver && reply === undefined) {
    return new PlatformError(
      "OUTCOME_UNKNOWN",
      `SMTP relay took the message but never answered whether it queued it: ${detail}`,
      { cause: error },
    );
  }
  // 5xx replies are final (unknown mailbox, message refused), as is an envelope nodemailer
  // refuses to send without asking the server (no valid recipient); 4xx and connection trouble may pass on a later try.
  const final = reply === undefined ? shape.code === "EENVELOPE" : reply >= 500;
  if (final) {
    return new PlatformError("PERMANENT", `SMTP server refused the mail: ${detail}`, { cause: error });
  }
  return new PlatformError("TRANSIENT", `SMTP send failed: ${detail}`, { cause: error });
}
