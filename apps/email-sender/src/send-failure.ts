// What a failed send means for its row. The mailer says TRANSIENT or PERMANENT (or, over
// SMTP, OUTCOME_UNKNOWN); this adds the question that matters for never sending twice:
// could SES have accepted the mail anyway? Only a failure after the request may have
// reached SES (a timeout, a connection cut mid-request) leaves that open.
import { isPlatformError } from "@isikhnas/platform";

export type SendFailure =
  /** Refused for good (bad address, message rejected, too large): the row fails. */
  | { kind: "permanent"; reason: string }
  /** Certainly not sent (SES answered with an error, or no connection was made): retry. */
  | { kind: "retry"; reason: string; throttled: boolean }
  /** The request may have reached SES: the row is marked unknown, not retried. */
  | { kind: "in-doubt"; reason: string };

const THROTTLED = new Set([
  "TooManyRequestsException",
  "Throttling",
  "ThrottlingException",
  "LimitExceededException",
]);
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  /** The SMTP command nodemailer's error came from. */
  command?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

function shapeOf(value: unknown): ErrorShape {
  return typeof value === "object" && value !== null ? (value as ErrorShape) : {};
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function classifySendFailure(error: unknown): SendFailure {
  const reason = describe(error);
  if (isPlatformError(error, "PERMANENT") || isPlatformError(error, "PAYLOAD_TOO_LARGE")) {
    return { kind: "permanent", reason };
  }
  // The SMTP mailer knows when the relay had the message and fell silent.
  if (isPlatformError(error, "OUTCOME_UNKNOWN")) return { kind: "in-doubt", reason };
  const cause = shapeOf(isPlatformError(error) ? error.cause : error);
  // An SMTP relay that did not get the message (no go-ahead to DATA, or a 4xx answer to
  // it) certainly did not send it; the mailer said OUTCOME_UNKNOWN otherwise.
  if (typeof cause.command === "string") return { kind: "retry", reason, throttled: false };
  const answered = typeof cause.$metadata?.httpStatusCode === "number";
  if (answered) {
    const throttled =
      (typeof cause.name === "string" && THROTTLED.has(cause.name)) ||
      cause.$metadata?.httpStatusCode === 429;
    return { kind: "retry", reason, throttled };
  }
  const code = typeof cause.code === "string" ? cause.code : shapeOf(cause.cause).code;
  if (typeof code === "string" && NEVER_CONNECTED.has(code))
    return { kind: "retry", reason, throttled: false };
  // A failure reading an attachment happens before anything is sent.
  if (isPlatformError(error, "TRANSIENT") && /^composing the message failed/.test(error.message)) {
    return { kind: "retry", reason, throttled: false };
  }
  return { kind: "in-doubt", reason };
}
