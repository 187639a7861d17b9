import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import type { Database } from "@isikhnas/platform";
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
});
