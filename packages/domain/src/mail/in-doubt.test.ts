import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import type { Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireStaleClaims, listMailInDoubt, markInDoubt } from "./in-doubt.js";

describe("e-mails in doubt", () => {
  let stack: TestStack;
  let db: Database;
  beforeAll(async () => {
    stack = await createTestStack();
    db = stack.openDatabase({ poolMax: 2, statementTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** One send with a row per recipient; returns the send id and the row ids by recipient. */
  async function send(
    key: string,
    recipients: Record<string, { status: string; claimedSecondsAgo?: number }>,
  ) {
    const created = await db.query<{ id: string }>(
      "INSERT INTO email_sends (message_key, environment, subject, status) VALUES ($1, 'live', $2, 'sending') RETURNING id",
      [key, `Subject of ${key}`],
    );
    const sendId = Number(created.rows[0]?.id);
    const ids: Record<string, number> = {};
    for (const [recipient, row] of Object.entries(recipients)) {
      const inserted = await db.query<{ id: string }>(
        `INSERT INTO outbound_emails (send_id, recipient, status, claimed_at)
         VALUES ($1, $2, $3, CASE WHEN $4::float8 IS NULL THEN NULL ELSE now() - make_interval(secs => $4::float8) END)
         RETURNING id`,
        [sendId, recipient, row.status, row.claimedSecondsAgo ?? null],
      );
      ids[recipient] = Number(inserted.rows[0]?.id);
    }
    return { sendId, ids };
  }

  it("puts claims older than the lease in doubt, leaves fresh claims and other sends alone, and lists them", async () => {
    const { sendId } = await send("lease:1", {
      "stale@example.id": { status: "sending", claimedSecondsAgo: 600 },
      "fresh@example.id": { status: "sending", claimedSecondsAgo: 1 },
      "sent@example.id": { status: "sent", claimedSecondsAgo: 600 },
    });
    await send("lease:other", { "elsewhere@example.id": { status: "sending", claimedSecondsAgo: 600 } });

    expect(await expireStaleClaims(db, sendId, 300)).toBe(1);
    expect(await expireStaleClaims(db, sendId, 300)).toBe(0);

    const listed = await listMailInDoubt(db, { limit: 50 });
    const ofThisSend = listed.filter((row) => row.messageKey === "lease:1");
    expect(ofThisSend).toEqual([
      {
        id: expect.any(Number),
        recipient: "stale@example.id",
        subject: "Subject of lease:1",
        messageKey: "lease:1",
        claimedAt: expect.any(Date),
        reason: expect.stringContaining("may or may not have been sent"),
      },
    ]);
    expect(listed.map((row) => row.recipient)).not.toContain("elsewhere@example.id");
  });

  it("lists rows marked in doubt newest first, up to the limit, without deleted ones", async () => {
    const { ids } = await send("marked:1", {
      "first@example.id": { status: "sending", claimedSecondsAgo: 1 },
      "second@example.id": { status: "sending", claimedSecondsAgo: 1 },
      "deleted@example.id": { status: "sending", claimedSecondsAgo: 1 },
    });
    for (const [recipient, id] of Object.entries(ids)) {
      await markInDoubt(db, id, `connection reset while sending to ${recipient}`);
    }
    await db.query("UPDATE outbound_emails SET deleted_at = now() WHERE id = $1", [
      ids["deleted@example.id"],
    ]);

    const all = (await listMailInDoubt(db, { limit: 50 })).filter((row) => row.messageKey === "marked:1");
    expect(all.map((row) => [row.recipient, row.reason])).toEqual([
      ["second@example.id", "connection reset while sending to second@example.id"],
      ["first@example.id", "connection reset while sending to first@example.id"],
    ]);
    expect(await listMailInDoubt(db, { limit: 1 })).toHaveLength(1);
  });
});
