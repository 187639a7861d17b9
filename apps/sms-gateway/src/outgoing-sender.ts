// Queued SMS rows to smsd outgoing files. The next rows in line are read, their recipients
// judged, then one statement settles them: recipients on the deny list (short codes,
// alphanumeric senders, configured numbers) are cancelled, never claimed, and the others
// are claimed ('sending', attempts + 1, file name fixed as external_ref) with SKIP LOCKED
// and written once; smsd's SENT/FAILED verdict moves them on. Recipients over the rate
// limit stay queued.
import { inboundCorrelationId } from "@isikhnas/domain";
import { backoff, type Database, type Logger, type Metrics } from "@isikhnas/platform";
import { writeOutgoing } from "./spool/write-outgoing.js";

export interface OutgoingSenderOptions {
  outgoingDir: string;
  batchSize: number;
  pollIntervalMs: number;
  /**
   * A wake-up claims after this delay, not at once: during a backlog every commit wakes the
   * sender, and claiming a few rows each time costs a claim statement and a round of file
   * syncs per handful of replies. Optional for callers that only call sendBatch().
   */
  gatherMs?: number;
  /** Failed sends are retried after `retryBackoffMs × attempts`. */
  retryBackoffMs: number;
  /** At most this many messages per recipient per window; 0 = no limit. */
  rateLimitCount: number;
  rateLimitWindowMs: number;
}

export interface OutgoingSenderDeps {
  db: Database;
  logger: Logger;
  metrics?: Metrics;
  /** Why a recipient must never get a message, or undefined when it may. */
  denyReason: (address: string) => string | undefined;
}

interface QueuedRow {
  id: number;
  address: string;
}

interface SettledRow {
  id: number;
  address: string;
  body: string;
  attempts: number;
  external_ref: string;
  /** The message this one answers or alerts about: its correlation id is this row's too. */
  inbound_message_id: string | null;
  /** Set when the row was cancelled instead of claimed. */
  denied: string | null;
}

const METRIC_QUEUE = "sms-outgoing";

const READY = `status = 'queued' AND deleted_at IS NULL
  AND (attempts = 0 OR modified_at <= now() - make_interval(secs => $1::double precision * attempts))`;

// The window is wider than the batch so that a recipient held back by the rate limit does
// not stop everyone behind it.
const NEXT_IN_LINE = `
SELECT id, address FROM outbound_messages
 WHERE channel = 'sms' AND ${READY}
 ORDER BY id
 LIMIT $2`;

// Denied rows of the window are cancelled and the allowed ones claimed in one statement;
// both re-check 'queued', so rows another sender took in between are left alone. The
// deny judgement is the domain's (phone normalisation, short codes), hence made in code
// on the window read just before, not in SQL.
const SETTLE = `
WITH denied AS (
  UPDATE outbound_messages o
     SET status = 'cancelled', last_error = d.reason
    FROM unnest($6::bigint[], $7::text[]) AS d(id, reason)
   WHERE o.id = d.id AND o.status = 'queued'
  RETURNING o.id, o.address, o.body, o.attempts, o.external_ref, o.inbound_message_id, d.reason AS denied
), candidates AS (
  SELECT q.id, q.address, row_number() OVER (PARTITION BY q.address ORDER BY q.id) AS position
    FROM outbound_messages q
   WHERE q.id = ANY($2::bigint[]) AND ${READY}
), allowed AS (
  SELECT c.id
    FROM candidates c
    CROSS JOIN LATERAL (
      SELECT count(*) AS recent FROM outbound_messages r
       WHERE r.channel = 'sms' AND r.address = c.address AND r.status IN ('sending', 'sent')
         AND r.modified_at > now() - make_interval(secs => $4::double precision)
    ) r
   WHERE $3::int = 0 OR r.recent + c.position <= $3::int
   ORDER BY c.id
   LIMIT $5
), claimed AS (
  UPDATE outbound_messages o
     SET status = 'sending',
         attempts = o.attempts + 1,
         external_ref = 'sms-' || o.id || '-' || (o.attempts + 1) || '-' || substr(md5(random()::text), 1, 6)
   WHERE o.id IN (SELECT id FROM outbound_messages
                   WHERE id IN (SELECT id FROM allowed) AND status = 'queued'
                   FOR UPDATE SKIP LOCKED)
  RETURNING o.id, o.address, o.body, o.attempts, o.external_ref, o.inbound_message_id, NULL::text AS denied
)
SELECT * FROM claimed
UNION ALL
SELECT * FROM denied`;

export class OutgoingSender {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(
    private readonly deps: OutgoingSenderDeps,
    private readonly options: OutgoingSenderOptions,
  ) {}

  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  /** Looks for queued rows now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Settles and writes one batch; returns how many rows it claimed. */
  async sendBatch(): Promise<number> {
    const backoffSeconds = this.options.retryBackoffMs / 1000;
    const { rows: next } = await this.deps.db.query<QueuedRow>(NEXT_IN_LINE, [
      backoffSeconds,
      this.options.batchSize * 10,
    ]);
    if (next.length === 0) return 0;
    const allowed: number[] = [];
    const deniedIds: number[] = [];
    const reasons: string[] = [];
    const verdicts = new Map<string, string | undefined>();
    for (const row of next) {
      if (!verdicts.has(row.address)) verdicts.set(row.address, this.deps.denyReason(row.address));
      const reason = verdicts.get(row.address);
      if (reason === undefined) allowed.push(row.id);
      else {
        deniedIds.push(row.id);
        reasons.push(reason);
      }
    }
    const { rows } = await this.deps.db.query<SettledRow>(SETTLE, [
      backoffSeconds,
      allowed,
      this.options.rateLimitCount,
      this.options.rateLimitWindowMs / 1000,
      this.options.batchSize,
      deniedIds,
      reasons,
    ]);
    const claimed = rows.filter((row) => row.denied === null);
    for (const row of rows) {
      if (row.denied === null) continue;
      this.deps.metrics?.rejected.inc({ queue: METRIC_QUEUE });
      this.deps.logger.warn(
        {
          ...(row.inbound_message_id === null
            ? {}
            : { correlationId: inboundCorrelationId(row.inbound_message_id) }),
          outboundId: row.id,
          reason: row.denied,
        },
        "outbound sms cancelled: recipient denied",
      );
    }
    // Each write waits for the disk (fsync); writing a batch side by side overlaps them.
    await Promise.all(claimed.map((row) => this.write(row)));
    return claimed.length;
  }

  private async write(row: SettledRow): Promise<void> {
    const log = this.deps.logger.child({
      ...(row.inbound_message_id === null
        ? {}
        : { correlationId: inboundCorrelationId(row.inbound_message_id) }),
      outboundId: row.id,
      file: row.external_ref,
    });
    try {
      await writeOutgoing(this.options.outgoingDir, row.external_ref, { to: row.address, text: row.body });
      this.deps.metrics?.done.inc({ queue: METRIC_QUEUE });
      log.info({ attempt: row.attempts }, "outgoing sms file written");
    } catch (error) {
      // Nothing reached smsd: the row may go back to the queue without risk of a double send.
      const reason =
        error instanceof RangeError ? error.message : `cannot write outgoing file: ${String(error)}`;
      const permanent = error instanceof RangeError;
      await this.deps.db.query(
        `UPDATE outbound_messages SET status = $3, last_error = $2, attempts = attempts - $4
          WHERE id = $1 AND status = 'sending'`,
        [row.id, reason, permanent ? "failed" : "queued", permanent ? 0 : 1],
      );
      log.error({ err: error, permanent }, "outgoing sms file not written");
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.woken = false;
      let claimed = 0;
      try {
        claimed = await this.sendBatch();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.deps.logger.error({ err: error, failures }, "claiming outbound sms failed");
      }
      if (this.stopping) break;
      if (claimed >= this.options.batchSize && failures === 0) continue;
      const delay =
        failures > 0
          ? backoff({ attempt: failures + 1, baseMs: this.options.pollIntervalMs, maxMs: 30_000 })
          : this.options.pollIntervalMs;
      await this.pause(delay);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        clearTimeout(timer);
        const gather = this.stopping ? 0 : Math.min(ms, this.options.gatherMs ?? 0);
        timer = setTimeout(done, gather);
      };
      // A wake-up while the last batch ran counts too.
      if (this.woken || this.stopping) this.wakeUp();
    });
  }
}
