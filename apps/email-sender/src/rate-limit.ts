// The account's sending rate as a token bucket in one database row, so every sender
// instance on the database shares it. Each instance reserves a few sends at a time in one
// atomic UPDATE, the bucket going into debt for those not yet due, and hands each out at
// the moment it falls due. Reserving ahead, rather than waiting for tokens and then taking
// them, keeps the database round trip out of the rate: a bucket of small burst would
// otherwise lose what refills during each take and send below the configured rate.
// Hand-written because it is one SQL statement; the usual libraries keep their buckets in
// memory or in Redis, neither of which the instances share here.
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
  /** Takes a send that may go now, if one is reserved and due; never waits. */
  tryAcquire(): boolean;
  /** SES said "slow down": every instance pauses for about `seconds`. */
  penalize(seconds: number): Promise<void>;
}

export function createRateLimiter(db: Queryable, options: RateLimiterOptions): SendRateLimiter {
  const rate = options.ratePerSecond;
  // Sends saved up while idle go at once and the bucket keeps refilling meanwhile, so a
  // burst b lets b + rate sends through in the second after an idle spell. SES counts a
  // second's sends against the rate: unless a burst is asked for, none is allowed.
  const burst = Math.max(1, options.burst ?? 1);
  // Small takes keep instances fair; large ones keep a lifted limit from costing a
  // database round trip per message.
  const batch = Math.max(1, Math.min(50, Math.ceil(rate / 20)));
  /** When each reserved send may go, in epoch milliseconds, earliest first. */
  let due: number[] = [];
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
  async function reserve(): Promise<void> {
    await ensureRow();
    const { rows } = await db.query<{ available: number; at: number }>(
      `WITH now_ AS (SELECT clock_timestamp() AS at),
       state AS (
         SELECT account, n.at,
                LEAST($3::float8, tokens + EXTRACT(EPOCH FROM n.at - refilled_at) * $2::float8) AS available
           FROM email_send_rate, now_ n WHERE account = $1 FOR UPDATE OF email_send_rate
       )
       UPDATE email_send_rate r
          SET tokens = s.available - $4::int, refilled_at = s.at
         FROM state s
        WHERE r.account = s.account
       RETURNING s.available, EXTRACT(EPOCH FROM s.at)::float8 * 1000 AS at`,
      [options.account, rate, burst, batch],
    );
    const available = rows[0]?.available ?? 0;
    // Due times on the database's clock, the one the bucket keeps: counted from when the
    // answer arrived, each reservation would lose its way back and the rate fall short.
    const at = rows[0]?.at ?? Date.now();
    // The i-th reserved send is due once the bucket has refilled to i tokens.
    for (let index = 1; index <= batch; index++) {
      due.push(at + Math.max(0, ((index - available) / rate) * 1000));
    }
  }

  const reserveOnce = () => {
    fetching ??= reserve().finally(() => {
      fetching = undefined;
    });
    return fetching;
  };

  return {
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        const at = due.shift();
        if (at !== undefined) {
          // The next reservation is made while this send waits, not after it: a round trip
          // longer than 1/rate would otherwise open a gap the bucket (of small burst) cannot
          // make up. Its failure is met by whoever waits on it next.
          if (due.length === 0) reserveOnce().catch(() => {});
          const wait = at - Date.now();
          // Unreferenced: a wait nobody is left to need must not hold a stopping process open.
          if (wait > 0) await abandonable(delay(wait, undefined, { ref: false }), signal);
          return;
        }
        await abandonable(reserveOnce(), signal);
      }
    },
    tryAcquire() {
      const at = due[0];
      const taken = at !== undefined && at <= Date.now();
      if (taken) due.shift();
      if (due.length === 0) reserveOnce().catch(() => {});
      return taken;
    },
    async penalize(seconds) {
      // What was reserved is given up (the sends not yet due never go on those slots).
      due = [];
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
