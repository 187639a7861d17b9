// The account's sending rate as a token bucket in one database row, so every sender
// instance on the database shares it. Each instance takes tokens a few at a time in one
// atomic UPDATE and hands them out locally; when the bucket is empty it waits as long as
// the refill needs. Hand-written because it is one SQL statement; the usual libraries
// keep their buckets in memory or in Redis, neither of which the instances share here.
import { setTimeout as delay } from "node:timers/promises";
import type { Queryable } from "@isikhnas/platform";

export interface RateLimiterOptions {
  account: string;
  ratePerSecond: number;
  burst?: number | undefined;
}

export interface SendRateLimiter {
  /** Resolves when one message may be sent. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** SES said "slow down": every instance pauses for about `seconds`. */
  penalize(seconds: number): Promise<void>;
}

export function createRateLimiter(db: Queryable, options: RateLimiterOptions): SendRateLimiter {
  const rate = options.ratePerSecond;
  const burst = Math.max(1, options.burst ?? rate);
  // Small takes keep instances fair; large ones keep a lifted limit from costing a
  // database round trip per message.
  const batch = Math.max(1, Math.min(50, Math.ceil(rate / 20)));
  let local = 0;
  let fetching: Promise<void> | undefined;
  let ready: Promise<void> | undefined;

  const ensureRow = () => {
    ready ??= db
      .query(
        `INSERT INTO email_send_rate (account, tokens, refilled_at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT (account) DO NOTHING`,
        [options.account, burst],
      )
      .then(
        () => undefined,
        (error: unknown) => {
          ready = undefined;
          throw error;
        },
      );
    return ready;
  };

  // Shared by every caller waiting at the time, so no one caller's signal may end it:
  // each caller abandons only its own wait (see `abandonable`).
  async function take(): Promise<void> {
    await ensureRow();
    const { rows } = await db.query<{ granted: number; available: number }>(
      `WITH state AS (
         SELECT account,
                LEAST($3::float8, tokens + EXTRACT(EPOCH FROM clock_timestamp() - refilled_at) * $2::float8) AS available
           FROM email_send_rate WHERE account = $1 FOR UPDATE
       ), grant_ AS (
         SELECT account, available, GREATEST(0, LEAST($4::int, floor(available)::int)) AS granted FROM state
       )
       UPDATE email_send_rate r
          SET tokens = g.available - g.granted, refilled_at = clock_timestamp()
         FROM grant_ g
        WHERE r.account = g.account
       RETURNING g.granted, g.available`,
      [options.account, rate, burst, batch],
    );
    const row = rows[0];
    const granted = row?.granted ?? 0;
    local += granted;
    if (granted === 0) {
      const missing = 1 - (row?.available ?? 0);
      // Unreferenced: a wait nobody is left to need must not hold a stopping process open.
      await delay(Math.max(1, Math.ceil((missing / rate) * 1000)), undefined, { ref: false });
    }
  }

  return {
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        if (local > 0) {
          local -= 1;
          return;
        }
        fetching ??= take().finally(() => {
          fetching = undefined;
        });
        await abandonable(fetching, signal);
      }
    },
    async penalize(seconds) {
      local = 0;
      await ensureRow();
      await db.query(
        "UPDATE email_send_rate SET tokens = LEAST(tokens, 0) - $2::float8 * $3::float8, refilled_at = clock_timestamp() WHERE account = $1",
        [options.account, seconds, rate],
      );
    },
  };
}

/** Waits for `work` unless `signal` aborts first; aborting leaves `work` running for others. */
function abandonable(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const abandon = () => reject(signal.reason);
    if (signal.aborted) return abandon();
    signal.addEventListener("abort", abandon, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abandon));
  });
}
