import { setTimeout as delay } from "node:timers/promises";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import type { Database, Queryable } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit.js";

describe("the shared sending rate", () => {
  let stack: TestStack;
  let db: Database;
  beforeAll(async () => {
    stack = await createTestStack();
    db = stack.openDatabase({ poolMax: 2, statementTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("lets a waiter abandon its wait without failing the others waiting on the same refill", async () => {
    const limiter = createRateLimiter(db, { account: `${stack.id}-abandon`, ratePerSecond: 5, burst: 1 });
    await limiter.acquire();

    // The bucket is empty: the first waiter starts the refill wait that the second shares.
    const leaving = new AbortController();
    const first = limiter.acquire(leaving.signal);
    const second = limiter.acquire(new AbortController().signal);
    leaving.abort(new Error("handler stopped"));

    const [left, stayed] = await Promise.allSettled([first, second]);
    expect(stayed).toEqual({ status: "fulfilled", value: undefined });
    expect(left).toMatchObject({ status: "rejected", reason: new Error("handler stopped") });
    const { rows } = await db.query<{ tokens: number }>(
      "SELECT tokens FROM email_send_rate WHERE account = $1",
      [`${stack.id}-abandon`],
    );
    expect(rows[0]?.tokens).toBeLessThan(1);
  });

  it("sends no more than the configured rate in its first second, as configured by default", async () => {
    const rate = 20;
    // As the daemon builds it when SEND_BURST is not set.
    const limiter = createRateLimiter(db, { account: `${stack.id}-first-second`, ratePerSecond: rate });
    const handedOut: number[] = [];
    const started = performance.now();
    // Eight workers, as SEND_CONCURRENCY has them, each taking sends for a little over a second.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() - started < 1_300) {
          await limiter.acquire();
          handedOut.push(performance.now());
        }
      }),
    );
    const first = handedOut[0] ?? 0;
    const inFirstSecond = handedOut.filter((at) => at - first < 1_000).length;
    // SES counts a second's sends against the rate: a bucket that starts full and keeps
    // refilling would let a second's worth go at once and another second's worth after it.
    expect(inFirstSecond).toBeLessThanOrEqual(rate + 1);
    expect(inFirstSecond).toBeGreaterThanOrEqual(rate * 0.8);
  });

  it("keeps to the configured rate, not below it, when each take costs a round trip", async () => {
    // The database as a sender sees RDS across a network: every statement takes a while.
    const distant: Queryable = {
      query: async (text, values) => {
        await delay(15);
        return db.query(text, values);
      },
    };
    const rate = 50;
    const count = 50;
    const limiter = createRateLimiter(distant, {
      account: `${stack.id}-distant`,
      ratePerSecond: rate,
      burst: 1,
    });
    await limiter.acquire();
    const started = performance.now();
    for (let index = 0; index < count; index++) await limiter.acquire();
    const seconds = (performance.now() - started) / 1000;

    // A bucket of burst 1 holds back the first send to 1/rate after the last: never faster.
    expect(seconds).toBeGreaterThanOrEqual(((count - 1) / rate) * 0.98);
    // Time spent waiting on the database is not time the rate gives up.
    expect(count / seconds).toBeGreaterThanOrEqual(rate * 0.9);
  });
});
