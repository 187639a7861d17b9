// What a handler decided about a message, and the one place where thrown errors are
// turned into such a decision.
import { isPlatformError, toError } from "../errors.js";

export type Outcome =
  /** Effects are durable: delete the message. */
  | { kind: "done" }
  /** A transient cause: show the message again later (backoff when no delay is given). */
  | { kind: "retryLater"; delaySeconds?: number }
  /** Bad input, already answered to the sender: delete and count. */
  | { kind: "reject"; reason: string }
  /** Can never succeed and was not answered: straight to the dead-letter queue. */
  | { kind: "deadLetter"; reason: string };

export const outcome = {
  done: (): Outcome => ({ kind: "done" }),
  retryLater: (options: { delaySeconds?: number } = {}): Outcome =>
    options.delaySeconds === undefined
      ? { kind: "retryLater" }
      : { kind: "retryLater", delaySeconds: options.delaySeconds },
  reject: (reason: string): Outcome => ({ kind: "reject", reason }),
  deadLetter: (reason: string): Outcome => ({ kind: "deadLetter", reason }),
};

export interface ClassifiedFailure {
  outcome: Outcome;
  error: Error;
}

/**
 * A thrown error is a retry with backoff (the redrive policy dead-letters it after N
 * receives), unless it says it can never succeed: a PlatformError PERMANENT or
 * SCHEMA_INVALID goes to the dead-letter queue at once, with its message as the reason.
 */
export function classifyFailure(thrown: unknown): ClassifiedFailure {
  const error = toError(thrown);
  if (isPlatformError(thrown, "PERMANENT") || isPlatformError(thrown, "SCHEMA_INVALID")) {
    return { outcome: outcome.deadLetter(`${thrown.code}: ${thrown.message}`), error };
  }
  return { outcome: { kind: "retryLater" }, error };
}
