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
