// Handles one emailoutput message: writes a row per recipient, then sends to each
// pending recipient, one SES call per recipient at the shared rate, several at once.
// A redelivered message (after a crash, or twice from the producer) finds its rows and
// sends only what is still pending, so nobody gets a mail twice.
//
// The one window that cannot be closed: the process dies after SES accepted a mail and
// before the row says 'sent'. The row stays 'sending'; once its lease has run out it is
// marked 'unknown' and not sent again (at most once). The window is kept to the SES call
// itself: the rate token is taken and the message built before the claim, and the row
// is marked as soon as SES answers.
import { setTimeout as delay } from "node:timers/promises";
import type { EmailOutput } from "@isikhnas/contracts";
import type { Queryable } from "@isikhnas/platform";
import {
  type Bucket,
  backoff,
  type HandlerContext,
  type Logger,
  type Mailer,
  type Outcome,
  outcome,
  PlatformError,
} from "@isikhnas/platform";
import { type AttachmentBuckets, mailFor, prepareAttachments } from "./compose.js";
import {
  addRecipients,
  claimNext,
  expireStaleClaims,
  markDone,
  markFailed,
  markInDoubt,
  markSent,
  openSend,
  progressOf,
  releaseForRetry,
} from "./ledger.js";
import type { SendRateLimiter } from "./rate-limit.js";
import { readRecipients } from "./recipients.js";
import { classifySendFailure } from "./send-failure.js";

export interface SendSettings {
  concurrency: number;
  leaseSeconds: number;
  maxAttempts: number;
  maxRecipients: number;
  /** Names this process in claimed rows. */
  claimant: string;
  /** Retries due within this long are waited for in the handler rather than the queue. */
  inlineRetryMs?: number;
}

export interface SendDeps {
  db: Queryable;
  mailer: Mailer;
  buckets: AttachmentBuckets & { readonly [name: string]: Bucket };
  limiter: SendRateLimiter;
  logger: Logger;
  settings: SendSettings;
  /** Told of every recipient handled; for metrics. */
  onResult?: (status: "sent" | "failed" | "retry" | "unknown") => void;
}

/** Throttled or unavailable: wait longer each attempt, with jitter so instances spread out. */
export function retryDelayMs(attempts: number): number {
  return backoff({ attempt: attempts, baseMs: 500, maxMs: 60_000, jitter: 0.25 });
}

export function createSendHandler(deps: SendDeps) {
  const { db, settings } = deps;
  const inlineRetryMs = settings.inlineRetryMs ?? 20_000;

  async function sendOne(
    message: EmailOutput,
    sendId: number,
    attachments: Awaited<ReturnType<typeof prepareAttachments>>,
    logger: Logger,
    signal: AbortSignal,
  ): Promise<boolean> {
    await deps.limiter.acquire(signal);
    const claimed = await claimNext(db, sendId, settings.claimant);
    if (!claimed) return false;
    try {
      // Bounded well inside the lease, so a live process always settles its own claims.
      const timeout = AbortSignal.timeout((settings.leaseSeconds * 1000) / 2);
      const receipt = await deps.mailer.send(mailFor(message, claimed.recipient, attachments), timeout);
      await markSent(db, claimed.id, receipt.messageId);
      deps.onResult?.("sent");
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure.kind === "permanent") {
        await markFailed(db, claimed.id, failure.reason);
        logger.warn(
          { recipient: claimed.recipient, reason: failure.reason },
          "recipient refused; not retried",
        );
        deps.onResult?.("failed");
      } else if (failure.kind === "in-doubt") {
        await markInDoubt(db, claimed.id, failure.reason);
        logger.error(
          { recipient: claimed.recipient, reason: failure.reason },
          "send outcome unknown; not retried",
        );
        deps.onResult?.("unknown");
      } else if (claimed.attempts >= settings.maxAttempts) {
        await markFailed(db, claimed.id, `gave up after ${claimed.attempts} attempts: ${failure.reason}`);
        deps.onResult?.("failed");
      } else {
        await releaseForRetry(db, claimed.id, retryDelayMs(claimed.attempts), failure.reason);
        if (failure.throttled) await deps.limiter.penalize(1);
        logger.info({ attempts: claimed.attempts, throttled: failure.throttled }, "send will be retried");
        deps.onResult?.("retry");
      }
    }
    return true;
  }

  return async (message: EmailOutput, context: HandlerContext): Promise<Outcome> => {
    const { logger, signal } = context;
    const send = await openSend(db, message);
    if (send.status === "done") {
      logger.info({ key: message.id }, "already sent; redelivery ignored");
      return outcome.done();
    }
    if (send.status === "expanding") {
      const list = message.recipientList
        ? { bucket: deps.buckets[message.recipientList.bucket], key: message.recipientList.key }
        : undefined;
      const { recipients, invalid } = await readRecipients(message.to, list, {
        maxRecipients: settings.maxRecipients,
        signal,
      }).catch((error: unknown) => {
        // A list that is missing or too long stays so: dead-letter the message with the reason.
        if (
          error instanceof PlatformError &&
          (error.code === "NOT_FOUND" || error.code === "LIMIT_EXCEEDED")
        ) {
          throw new PlatformError("PERMANENT", `recipient list: ${error.message}`, { cause: error });
        }
        throw error;
      });
      if (invalid.length > 0)
        logger.warn(
          { invalid: invalid.length, sample: invalid.slice(0, 3) },
          "lines that are not addresses were skipped",
        );
      await addRecipients(db, send.id, recipients);
    }

    let progress = await progressOf(db, send.id);
    const reuse = progress.pending + progress.sending > 1;
    let attachments: Awaited<ReturnType<typeof prepareAttachments>>;
    try {
      attachments = await prepareAttachments(deps.buckets, message, { reuse, signal });
      for (const attachment of message.attachments) {
        if (!reuse && !(await deps.buckets[attachment.bucket].exists(attachment.key))) {
          throw new PlatformError("NOT_FOUND", `${attachment.bucket}/${attachment.key} does not exist`);
        }
      }
    } catch (error) {
      if (error instanceof PlatformError && error.code === "NOT_FOUND") {
        throw new PlatformError("PERMANENT", `attachment missing: ${error.message}`, { cause: error });
      }
      throw error;
    }

    for (;;) {
      const workers = Math.max(1, Math.min(settings.concurrency, progress.pending));
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (!signal.aborted && (await sendOne(message, send.id, attachments, logger, signal))) {
            // A broadcast may outlast the consumer's deadline; each recipient handled shows it is not hung.
            context.progress();
          }
        }),
      );
      if (signal.aborted) return outcome.retryLater({ delaySeconds: 0 });
      const expired = await expireStaleClaims(db, send.id, settings.leaseSeconds);
      if (expired > 0) logger.error({ expired }, "recipients left in doubt by a stopped process; not resent");
      progress = await progressOf(db, send.id);
      if (progress.pending === 0 && progress.sending === 0) {
        await markDone(db, send.id);
        logger.info({ ...progress, key: message.id }, "emailoutput message finished");
        return outcome.done();
      }
      if (progress.pending === 0) {
        // Another process holds claims on this message: look again once their lease has run out.
        return outcome.retryLater({ delaySeconds: settings.leaseSeconds });
      }
      const waitMs = progress.nextRetryMs ?? 0;
      if (waitMs > inlineRetryMs) return outcome.retryLater({ delaySeconds: Math.ceil(waitMs / 1000) });
      await delay(waitMs, undefined, { signal }).catch(() => {});
    }
  };
}
