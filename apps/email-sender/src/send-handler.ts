// Handles one emailoutput message: writes a row per recipient, then sends to each
// pending recipient, one SES call per recipient at the shared rate, several at once.
// A redelivered message (after a crash, or twice from the producer) finds its rows and
// sends only what is still pending, so nobody gets a mail twice.
//
// The one window that cannot be closed: the process dies after SES accepted a mail and
// before the row says 'sent'. The row stays 'sending'; once its lease has run out it is
// marked 'unknown' and not sent again (at most once). The window is kept to the SES call
// itself: the rate token is taken and the message built before the claim, and the row
// is marked as soon as SES answers. Only the SES call's own errors are judged as send
// failures: a database error while recording an accepted mail is retried, and if the
// database stays away the row is left to its lease, as if the process had died.
import { setTimeout as delay } from "node:timers/promises";
import type { EmailOutput } from "@isikhnas/contracts";
import type { Queryable } from "@isikhnas/platform";
import {
  type Bucket,
  backoff,
  type HandlerContext,
  type Logger,
  type Mailer,
  type MailReceipt,
  type Outcome,
  outcome,
  PlatformError,
} from "@isikhnas/platform";
import pRetry from "p-retry";
import { coalesce } from "./coalesce.js";
import { type AttachmentBuckets, mailFor, prepareAttachments } from "./compose.js";
import {
  addRecipients,
  type ClaimedRecipient,
  expireStaleClaims,
  markDone,
  markFailed,
  markInDoubt,
  markSent,
  markSentAndClaim,
  openSend,
  progressOf,
  releaseForRetry,
  type SentRecipient,
} from "./ledger.js";
import type { SendRateLimiter } from "./rate-limit.js";
import { readRecipients } from "./recipients.js";
import { classifySendFailure, type SendFailure } from "./send-failure.js";

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
  /**
   * Puts a fresh copy of the message on emailoutput, delivered after `delaySeconds`: how a
   * send that has to wait comes back to it without the wait counting as a receive.
   */
  requeue: (message: EmailOutput, options: { delaySeconds: number; correlationId: string }) => Promise<void>;
  /** Told of every recipient handled; for metrics. */
  onResult?: (status: "sent" | "failed" | "retry" | "unknown") => void;
}

/** SQS delays a message by at most fifteen minutes; a longer wait just comes round again. */
const MAX_QUEUE_DELAY_SECONDS = 900;

/** Throttled or unavailable: wait longer each attempt, with jitter so instances spread out. */
export function retryDelayMs(attempts: number): number {
  return backoff({ attempt: attempts, baseMs: 500, maxMs: 60_000, jitter: 0.25 });
}

/**
 * Runs `workers` workers, each until nothing is left for it or `signal` aborts. The first
 * error stops the other workers after the recipient each one holds, and is thrown only
 * once they have settled: none may still be sending when the handler has returned.
 */
async function sendWith(
  workers: number,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const failed = new AbortController();
  const working = AbortSignal.any([signal, failed.signal]);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      try {
        await work(working);
      } catch (error) {
        if (!failure && !signal.aborted) failure = { error };
        failed.abort(error);
      }
    }),
  );
  if (failure) throw failure.error;
}

export function createSendHandler(deps: SendDeps) {
  const { db, settings } = deps;
  const inlineRetryMs = settings.inlineRetryMs ?? 20_000;
  // Marks asked for while one is being written go together in the next statement.
  const markSentOnce = coalesce(async (sent: { id: number; providerMessageId: string }[]) => {
    await markSent(db, sent);
    return sent.map(() => undefined);
  });

  /**
   * Comes back to a message whose recipients must wait (a retry time not yet come, or
   * claims of another instance not yet expired). Waiting is not failing: handing the
   * message back with retryLater would use up a receive each time, and a long broadcast
   * would be dead-lettered half sent. Instead a fresh copy (receive count 1) is queued with
   * the delay and this one is deleted; the progress is in the rows. A crash between the two
   * leaves two copies, which the rows make harmless. Errors are still thrown, so a message
   * that keeps failing is still dead-lettered after MAX_RECEIVE_COUNT receives.
   */
  async function comeBackLater(
    message: EmailOutput,
    context: HandlerContext,
    delaySeconds: number,
  ): Promise<Outcome> {
    const seconds = Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(delaySeconds)));
    await deps.requeue(message, { delaySeconds: seconds, correlationId: context.correlationId });
    context.logger.info(
      { key: message.id, delaySeconds: seconds },
      "recipients must wait; message queued again",
    );
    return outcome.done();
  }

  async function settleFailure(claimed: ClaimedRecipient, failure: SendFailure, logger: Logger) {
    if (failure.kind === "permanent") {
      await markFailed(db, claimed.id, failure.reason);
      logger.warn({ recipient: claimed.recipient, reason: failure.reason }, "recipient refused; not retried");
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

  /**
   * Marks a recipient SES accepted as sent, trying again through a database blip. Should
   * that keep failing, the row is put in doubt with SES's message id in the reason (the
   * operator's list shows it); should that fail too, the database is away: the row is left
   * 'sending', its lease puts it in doubt later, and the error stops this message for now.
   * Either way it is never sent again.
   */
  async function recordSent(claimed: ClaimedRecipient, providerMessageId: string, logger: Logger) {
    try {
      // Within the other half of the lease: the SES call had the first.
      await pRetry(() => markSentOnce({ id: claimed.id, providerMessageId }), {
        retries: 6,
        minTimeout: 100,
        maxTimeout: 2_000,
        maxRetryTime: (settings.leaseSeconds * 1000) / 2,
        onFailedAttempt: ({ error, attemptNumber }) =>
          logger.warn({ err: error, attemptNumber }, "recording a sent mail failed; trying again"),
      });
      deps.onResult?.("sent");
      return;
    } catch (error) {
      logger.error(
        { err: error, recipient: claimed.recipient, providerMessageId },
        "SES accepted the mail but it could not be recorded as sent; it is in doubt, not resent",
      );
      const reason = `SES accepted it as ${providerMessageId}, but recording that failed: ${String(error)}`;
      try {
        await markInDoubt(db, claimed.id, reason);
      } catch {
        throw new PlatformError("TRANSIENT", "recording a sent mail failed", { cause: error });
      }
      deps.onResult?.("unknown");
    }
  }

  type Accepted = { claimed: ClaimedRecipient; providerMessageId: string };

  /**
   * One worker: claims a recipient, sends, and so on until none is left or `signal` aborts.
   * When the next send may go at once, the last one's record and the next claim are one
   * statement; otherwise (or should that statement fail) the record is written alone, as
   * soon as SES has answered. Either way at most one row per worker is claimed and not
   * recorded at any moment: the one a crash can leave in doubt.
   */
  async function work(
    message: EmailOutput,
    step: (sent: SentRecipient | undefined) => Promise<ClaimedRecipient | undefined>,
    attachments: Awaited<ReturnType<typeof prepareAttachments>>,
    logger: Logger,
    signal: AbortSignal,
    progress: () => void,
  ): Promise<void> {
    let accepted: Accepted | undefined;
    const record = async () => {
      const held = accepted;
      accepted = undefined;
      if (held) await recordSent(held.claimed, held.providerMessageId, logger);
    };
    try {
      while (!signal.aborted) {
        let claimed: ClaimedRecipient | undefined;
        const held = accepted;
        if (held && deps.limiter.tryAcquire()) {
          try {
            claimed = await step({ id: held.claimed.id, providerMessageId: held.providerMessageId });
            accepted = undefined;
            deps.onResult?.("sent");
          } catch (error) {
            logger.warn(
              { err: error },
              "recording a sent mail with the next claim failed; recording it alone",
            );
            await record();
            claimed = await step(undefined);
          }
        } else {
          await record();
          await deps.limiter.acquire(signal);
          claimed = await step(undefined);
        }
        if (!claimed) return;
        let receipt: MailReceipt;
        try {
          // Bounded well inside the lease, so a live process always settles its own claims.
          const timeout = AbortSignal.timeout((settings.leaseSeconds * 1000) / 2);
          receipt = await deps.mailer.send(mailFor(message, claimed.recipient, attachments), timeout);
        } catch (error) {
          await settleFailure(claimed, classifySendFailure(error), logger);
          progress();
          continue;
        }
        // SES has the mail: from here on no failure may lead to sending it again.
        accepted = { claimed, providerMessageId: receipt.messageId };
        progress();
      }
    } finally {
      await record();
    }
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

    // Workers asking for a recipient while another's statement is being written are served
    // by the next one together, a row each (and their records with it): every claimed row
    // still has a worker about to send it, so a crash leaves at most one row per worker in
    // doubt, as before.
    const step = coalesce(async (asking: (SentRecipient | undefined)[]) => {
      const sent = asking.filter((item): item is SentRecipient => item !== undefined);
      const claimed = await markSentAndClaim(db, send.id, settings.claimant, sent, asking.length);
      return asking.map((_, index) => claimed[index]);
    });
    for (;;) {
      const workers = Math.max(1, Math.min(settings.concurrency, progress.pending));
      // A broadcast may outlast the consumer's deadline; each recipient handled shows it is not hung.
      await sendWith(workers, signal, (working) =>
        work(message, step, attachments, logger, working, () => context.progress()),
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
        return comeBackLater(message, context, settings.leaseSeconds);
      }
      const waitMs = progress.nextRetryMs ?? 0;
      if (waitMs > inlineRetryMs) return comeBackLater(message, context, Math.ceil(waitMs / 1000));
      await delay(waitMs, undefined, { signal }).catch(() => {});
    }
  };
}
