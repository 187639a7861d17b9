// The verdict's IM count, from what the fake Bot API was asked to send: these updates go
// through the real bridge, then a reply is sent a second time or left unsent, as a broken
// bridge would, and the verdict must see it; a send the bridge could not record is in doubt.
import { FakeBotApi } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImBridge } from "../../apps/im-bridge/src/app.js";
import { botId } from "../../apps/im-bridge/src/config.js";
import { bridge, TOKEN } from "../../apps/im-bridge/src/testing/bridge.js";
import type { ImItem } from "./load.js";
import { type VerdictStack, verdictPlan, verdictStack } from "./testing/verdict-stack.js";

describe("the verdict of IM updates", () => {
  let harness: VerdictStack;
  let fake: FakeBotApi;
  let app: ImBridge;
  const plan = verdictPlan();
  const chatId = Number(plan.extraImIds.village_reporter[0]);
  const report = "U mc,dm sp 4 72060202";
  const items: ImItem[] = [
    {
      channel: "im",
      index: 0,
      category: "im-report",
      chatId,
      text: report,
      reportKey: `im:${chatId}|${report}`,
    },
    {
      channel: "im",
      index: 1,
      category: "im-repeat",
      chatId,
      text: report,
      reportKey: `im:${chatId}|${report}`,
    },
    { channel: "im", index: 2, category: "im-query", chatId, text: "?" },
  ];
  const updates = new Map<number, number>();

  const verdict = () => harness.verdict(items, { botId: botId(TOKEN), updates, sent: fake.sent });

  /** The reply row of item `index`. */
  async function replyRow(index: number): Promise<string> {
    const { rows } = await harness.db.query<{ id: string }>(
      `SELECT o.id::text FROM outbound_messages o JOIN inbound_messages m ON m.id = o.inbound_message_id
        WHERE o.channel = 'im' AND m.external_id = $1`,
      [`${botId(TOKEN)}:${updates.get(index)}`],
    );
    if (!rows[0]) throw new Error(`no reply row for item ${index}`);
    return rows[0].id;
  }

  /** sendMessage straight to the fake, as a bridge sending a row again would. */
  async function sendAgain(text: string): Promise<void> {
    const response = await fetch(`${fake.url}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: chatId, text }),
    });
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    harness = await verdictStack(plan);
    fake = await FakeBotApi.start({ token: TOKEN });
    app = bridge(harness.stack, fake);
    await app.start();
    for (const item of items) {
      updates.set(item.index, fake.pushText({ id: chatId, first_name: "Chaos" }, item.text).update_id);
    }
    await fake.waitForSent(items.length, chatId, 30_000);
    await harness.waitForSent("channel = 'im'", items.length, "every IM reply recorded as sent");
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await harness?.close();
  });

  it("finds every promise kept when the bridge answered each update once", async () => {
    expect(await verdict()).toMatchObject({
      imItems: 3,
      recordsExpected: 1,
      recordsStored: 1,
      repliesExpected: 3,
      repliesSent: 3,
      lost: 0,
      duplicateRecords: 0,
      duplicateReplies: 0,
      inDoubt: 0,
      broken: [],
    });
  });

  it("counts a reply sent twice and a reply never sent, and a send nobody recorded as in doubt", async () => {
    await sendAgain("a reply sent again");
    await harness.db.query("UPDATE outbound_messages SET status = 'failed' WHERE id = $1", [
      await replyRow(2),
    ]);
    const result = await verdict();
    expect(result).toMatchObject({ lost: 1, duplicateReplies: 1, duplicateRecords: 0 });
    expect(result.findings.lost[0]?.item).toBe(2);
    expect(result.broken).toEqual(["lost 1", "duplicate replies 1"]);

    // The bridge died between Telegram's answer and its record: the row is in doubt and the
    // unrecorded send is owed to it, not counted twice.
    await harness.db.query(
      "UPDATE outbound_messages SET status = 'unknown', external_ref = NULL WHERE id = $1",
      [await replyRow(1)],
    );
    const inDoubt = await verdict();
    expect(inDoubt).toMatchObject({ lost: 1, duplicateReplies: 1, inDoubt: 1 });
  });
});
