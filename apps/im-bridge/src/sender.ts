// Sends the engine's queued IM rows (replies and alerts) and the bridge's own. A batch is
// claimed ('sending', claimed_at), and each row's attempt is committed (attempted_at) just
// before its sendMessage; Telegram's message ids mark it sent. A row whose answer was lost
// (no response, a server error, or a sender that died mid-call and left it 'sending' past
// the lease) is put in doubt ('unknown') and never sent again by itself; a claimed row its
// dead sender never reached is queued again. Telegram's limits (about 30 messages a
// second per bot, one a second per chat, 429 retry_after) are kept here.
import { inboundCorrelationId } from "@isikhnas/domain";
import { backoff, type Database, type Logger } from "@isikhnas/platform";
import type { Api } from "grammy";
import { apiSignal, classifySendFailure } from "./bot-api.js";
import { LINK_REQUEST } from "./handler.js";
import { splitMessage } from "./split.js";

export interface SenderOptions {
  batchSize: number;
  pollIntervalMs: number;
  globalRatePerSecond: number;
  chatIntervalMs: number;
  maxAttempts: number;
  retryBackoffMs: number;
  leaseSeconds: number;
  /** On stop, a sendMessage still in flight after this long is abandoned (its row goes in doubt). */
  stopDeadlineMs: number;
}

interface ClaimedRow {
  id: number;
  address: string;
  subject: string | null;
  body: string;
  attempts: number;
  /** The claim's time as the database wrote it: whose claim the row is under. */
  claim: string;
  /** Message ids of the parts already sent (a long text is several messages). */
  sentParts: string[];
  /** What the row answers or alerts about: its lines carry that message's correlation id. */
  correlation: { correlationId?: string };
}

export interface SenderStats {
  sent: number;
  retried: number;
  failed: number;
  inDoubt: number;
}

export class ImSender {
  readonly stats: SenderStats = { sent: 0, retried: 0, failed: 0, inDoubt: 0 };
  private readonly chatReadyAt = new Map<string, number>();
  private nextGlobalSlot = 0;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: { db: Database; api: Api; logger: Logger },
    private readonly options: SenderOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Look for queued rows now (after a commit that queued some). */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    const deadline = setTimeout(() => this.abort.abort(), this.options.stopDeadlineMs);
    await this.loop;
    clearTimeout(deadline);
  }

  /**
   * Rows left 'sending' past the lease by a sender that died: in doubt when it had begun
   * their call (attempted_at), back in the queue when it never reached them.
   */
  async expireStaleClaims(): Promise<number> {
    const { rows } = await this.deps.db.query<{ id: number; status: string }>(
      `UPDATE outbound_messages
          SET status = CASE WHEN attempted_at IS NULL THEN 'queued' ELSE 'unknown' END,
              attempts = CASE WHEN attempted_at IS NULL THEN greatest(attempts - 1, 0) ELSE attempts END,
              claimed_at = NULL,
              last_error = CASE WHEN attempted_at IS NULL THEN last_error
                ELSE 'the sending process stopped during sendMessage; it may or may not have been sent' END
        WHERE channel = 'im' AND status = 'sending'
          AND claimed_at < clock_timestamp() - make_interval(secs => $1::float8)
        RETURNING id, status`,
      [this.options.leaseSeconds],
    );
    const inDoubt = rows.filter((row) => row.status === "unknown");
    for (const row of inDoubt)
      this.deps.logger.warn({ outboundId: row.id }, "IM message in doubt: its sender stopped mid-call");
    const requeued = rows.length - inDoubt.length;
    if (requeued > 0) {
      this.deps.logger.info(
        { requeued },
        "IM messages a stopped sender claimed but never tried are queued again",
      );
    }
    this.stats.inDoubt += inDoubt.length;
    return inDoubt.length;
  }

  /** Sends one claimed batch; returns how many rows were claimed. */
  async sendOnce(): Promise<number> {
    await this.expireStaleClaims();
    const rows = await this.claim();
    const byChat = new Map<string, ClaimedRow[]>();
    for (const row of rows) byChat.set(row.address, [...(byChat.get(row.address) ?? []), row]);
    // Chats in parallel, each chat's rows in order: one slow chat does not hold the others.
    await Promise.all(
      [...byChat.values()].map(async (chatRows) => {
        for (const row of chatRows) await this.send(row);
      }),
    );
    return rows.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let claimed = 0;
      try {
        claimed = await this.sendOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.deps.logger.error({ err: error }, "sending IM messages failed");
      }
      if (this.stopping) break;
      if (claimed >= this.options.batchSize) continue;
      const waitMs =
        failures > 0
          ? backoff({ attempt: failures, baseMs: 500, maxMs: 30_000 })
          : this.options.pollIntervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
    this.abort.abort();
  }

  private async claim(): Promise<ClaimedRow[]> {
    const { rows } = await this.deps.db.query<{
      id: number;
      address: string;
      subject: string | null;
      body: string;
      attempts: number;
      external_ref: string | null;
      claim: string;
      inbound_message_id: string | null;
    }>(
      `UPDATE outbound_messages o
          SET status = 'sending', attempts = o.attempts + 1, claimed_at = clock_timestamp(), attempted_at = NULL
        WHERE o.id IN (SELECT id FROM outbound_messages
                       WHERE channel = 'im' AND status = 'queued' AND deleted_at IS NULL
                         AND (not_before IS NULL OR not_before <= clock_timestamp())
                       ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.address, o.subject, o.body, o.attempts, o.external_ref, o.claimed_at::text AS claim,
                  o.inbound_message_id`,
      [this.options.batchSize],
    );
    return rows
      .sort((a, b) => a.id - b.id)
      .map((row) => ({
        id: row.id,
        address: row.address,
        subject: row.subject,
        body: row.body,
        attempts: row.attempts,
        claim: row.claim,
        sentParts: row.external_ref ? row.external_ref.split(",") : [],
        correlation:
          row.inbound_message_id === null
            ? {}
            : { correlationId: inboundCorrelationId(row.inbound_message_id) },
      }));
  }

  private async send(row: ClaimedRow): Promise<void> {
    const parts = splitMessage(row.body);
    const sent = [...row.sentParts];
    let attempted = false;
    for (let index = sent.length; index < parts.length; index += 1) {
      await this.waitForSlot(row.address);
      // The attempt is committed once the rate limits let the call go, just before it (a
      // sender killed while it waits for a slot has not begun). A row this sender no longer
      // holds (its lease ran out, and another sender queued it again) is left to that one.
      if (!attempted) {
        const marked = await this.deps.db.query(
          `UPDATE outbound_messages SET attempted_at = clock_timestamp()
            WHERE id = $1 AND status = 'sending' AND claimed_at = $2::timestamptz`,
          [row.id, row.claim],
        );
        if ((marked.rowCount ?? 0) === 0) return;
        attempted = true;
      }
      const last = index === parts.length - 1;
      try {
        const message = await this.deps.api.sendMessage(
          row.address,
          parts[index] ?? "",
          row.subject === LINK_REQUEST && last ? { reply_markup: linkKeyboard(row.body) } : {},
          apiSignal(this.abort.signal),
        );
        sent.push(String(message.message_id));
        if (!last) await this.recordParts(row.id, sent);
      } catch (error) {
        await this.failed(row, sent, error);
        return;
      }
    }
    const updated = await this.deps.db.query(
      `UPDATE outbound_messages SET status = 'sent', external_ref = $2, sent_at = now(), claimed_at = NULL,
              last_error = NULL
        WHERE id = $1 AND status = 'sending'`,
      [row.id, sent.join(",")],
    );
    if ((updated.rowCount ?? 0) > 0) {
      this.stats.sent += 1;
      this.deps.logger.info(
        { ...row.correlation, outboundId: row.id, parts: sent.length },
        "IM message sent",
      );
    }
  }

  private async recordParts(id: number, sent: string[]): Promise<void> {
    await this.deps.db.query("UPDATE outbound_messages SET external_ref = $2 WHERE id = $1", [
      id,
      sent.join(","),
    ]);
  }

  private async failed(row: ClaimedRow, sent: string[], error: unknown): Promise<void> {
    const failure = classifySendFailure(error);
    const ref = sent.length > 0 ? sent.join(",") : null;
    if (failure.kind === "unknown") {
      this.stats.inDoubt += 1;
      this.deps.logger.warn(
        { ...row.correlation, outboundId: row.id, reason: failure.reason },
        "IM message in doubt: not sent again",
      );
      await this.deps.db.query(
        `UPDATE outbound_messages SET status = 'unknown', last_error = $2, external_ref = $3, claimed_at = NULL
          WHERE id = $1 AND status = 'sending'`,
        [row.id, failure.reason.slice(0, 1000), ref],
      );
      return;
    }
    if (failure.kind === "permanent" || row.attempts >= this.options.maxAttempts) {
      this.stats.failed += 1;
      this.deps.logger.warn(
        { ...row.correlation, outboundId: row.id, reason: failure.reason },
        "IM message failed",
      );
      await this.deps.db.query(
        `UPDATE outbound_messages SET status = 'failed', last_error = $2, external_ref = $3, claimed_at = NULL
          WHERE id = $1 AND status = 'sending'`,
        [row.id, failure.reason.slice(0, 1000), ref],
      );
      return;
    }
    this.stats.retried += 1;
    const delayMs =
      failure.retryAfterSeconds !== undefined
        ? failure.retryAfterSeconds * 1000
        : backoff({ attempt: row.attempts, baseMs: this.options.retryBackoffMs, maxMs: 3_600_000 });
    if (failure.retryAfterSeconds !== undefined) this.chatReadyAt.set(row.address, Date.now() + delayMs);
    this.deps.logger.info(
      { ...row.correlation, outboundId: row.id, reason: failure.reason, delayMs },
      "IM message will be retried",
    );
    await this.deps.db.query(
      `UPDATE outbound_messages
          SET status = 'queued', last_error = $2, external_ref = $3, claimed_at = NULL,
              not_before = clock_timestamp() + make_interval(secs => $4::float8)
        WHERE id = $1 AND status = 'sending'`,
      [row.id, failure.reason.slice(0, 1000), ref, delayMs / 1000],
    );
  }

  /** Waits for the chat's and the bot's next free slot, and takes both. */
  private async waitForSlot(chat: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.chatReadyAt.get(chat) ?? 0, this.nextGlobalSlot);
    this.chatReadyAt.set(chat, slot + this.options.chatIntervalMs);
    this.nextGlobalSlot = slot + 1000 / this.options.globalRatePerSecond;
    const waitMs = slot - now;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/** The reply keyboard with one button that shares the user's own phone number. */
function linkKeyboard(body: string) {
  const label = /Share phone number/.test(body) ? "Share phone number" : "Bagikan nomor telepon";
  return {
    keyboard: [[{ text: label, request_contact: true }]],
    one_time_keyboard: true,
    resize_keyboard: true,
  };
}
