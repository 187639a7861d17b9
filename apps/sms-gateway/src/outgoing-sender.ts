// Queued SMS rows to smsd outgoing files. A row is claimed ('sending', attempts + 1, its
// file name fixed as external_ref) in one statement with SKIP LOCKED, then written once;
// smsd's SENT/FAILED verdict moves it on. Recipients over the rate limit stay queued, and
// recipients on the deny list (short codes, alphanumeric senders, configured numbers)
// are cancelled, never written.
import type { Database, Logger, Metrics } from "@isikhnas/platform";
import { writeOutgoing } from "./spool/write-outgoing.js";

export interface OutgoingSenderOptions {
  outgoingDir: string;
  batchSize: number;
  pollIntervalMs: number;
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

interface ClaimedRow {
  id: number;
  address: string;
  body: string;
  attempts: number;
  external_ref: string;
}

const METRIC_QUEUE = "sms-outgoing";

// The candidates are scanned wider than the batch so that a recipient held back by the
// rate limit does not stop everyone behind it.
const CLAIM = `
WITH candidates AS (
  SELECT q.id, q.address, row_number() OVER (PARTITION BY q.address ORDER BY q.id) AS position
    FROM (SELECT id, address FROM outbound_messages
           WHERE channel = 'sms' AND status = 'queued' AND deleted_at IS NULL
             AND (attempts = 0 OR modified_at <= now() - make_interval(secs => $1::double precision * attempts))
           ORDER BY id
           LIMIT $2) q
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
)
UPDATE outbound_messages o
   SET status = 'sending',
       attempts = o.attempts + 1,
       external_ref = 'sms-' || o.id || '-' || (o.attempts + 1) || '-' || substr(md5(random()::text), 1, 6)
 WHERE o.id IN (SELECT id FROM outbound_messages
                 WHERE id IN (SELECT id FROM allowed) AND status = 'queued'
                 FOR UPDATE SKIP LOCKED)
RETURNING o.id, o.address, o.body, o.attempts, o.external_ref`;

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

  /** Claims and writes one batch; returns how many rows it claimed. */
  async sendBatch(): Promise<number> {
    const { rows } = await this.deps.db.query<ClaimedRow>(CLAIM, [
      this.options.retryBackoffMs / 1000,
      this.options.batchSize * 10,
      this.options.rateLimitCount,
      this.options.rateLimitWindowMs / 1000,
      this.options.batchSize,
    ]);
    // Each write waits for the disk (fsync); writing a batch side by side overlaps them.
    await Promise.all(rows.map((row) => this.write(row)));
    return rows.length;
  }

  private async write(row: ClaimedRow): Promise<void> {
    const log = this.deps.logger.child({ outboundId: row.id, file: row.external_ref });
    const denied = this.deps.denyReason(row.address);
    if (denied) {
      await this.deps.db.query(
        `UPDATE outbound_messages SET status = 'cancelled', last_error = $2 WHERE id = $1 AND status = 'sending'`,
        [row.id, denied],
      );
      this.deps.metrics?.rejected.inc({ queue: METRIC_QUEUE });
      log.warn({ reason: denied }, "outbound sms cancelled: recipient denied");
      return;
    }
    try {
      await writeOutgoing(this.options.outgoingDir, row.external_ref, { to: row.address, text: row.body });
      this.deps.metrics?.done.inc({ queue: METRIC_QUEUE });
      log.debug({ attempt: row.attempts }, "outgoing sms file written");
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
          ? Math.min(30_000, this.options.pollIntervalMs * 2 ** failures)
          : this.options.pollIntervalMs;
      await this.pause(delay);
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.woken || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }
}
