// The verdict's IM count, from what the fake Bot API was asked to send: these updates go
// through the real bridge, then a reply is sent a second time or left unsent, as a broken
// bridge would, and the verdict must see it; a send the bridge could not record is in doubt.
import { createTestStack, FakeBotApi, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImBridge } from "../../apps/im-bridge/src/app.js";
import { botId } from "../../apps/im-bridge/src/config.js";
import { bridge, TOKEN } from "../../apps/im-bridge/src/testing/bridge.js";
import { tempSpool } from "../../apps/sms-gateway/src/testing/spool.js";
import { buildPlan, type ImItem } from "./load.js";
import { DAEMONS } from "./run.js";
import { addSenders } from "./stack.js";
import { judge } from "./verdict.js";

describe("the verdict of IM updates", () => {
  let stack: TestStack;
  let db: Database;
  let fake: FakeBotApi;
  let app: ImBridge;
  let spool: Awaited<ReturnType<typeof tempSpool>>;
  const plan = buildPlan({ seed: 1, items: 0, rate: 1, daemons: DAEMONS, killEveryMs: 2_000, killTailMs: 0 });
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

  const verdict = () =>
    judge({
      items,
      db,
      sqs: stack.sqs,
      prefix: stack.prefix,
      spoolDir: spool.root,
      sesEndpoint: stack.mailbox.sesEndpoint,
      im: { botId: botId(TOKEN), updates, sent: fake.sent },
      settled: true,
    });

  /** The reply row of item `index`. */
  async function replyRow(index: number): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
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
    stack = await createTestStack();
    await stack.provision();
    db = stack.openDatabase();
    await seedReferenceData(db);
    await seedDemoData(db);
    await addSenders(stack.databaseUrl, plan);
    spool = await tempSpool();
    fake = await FakeBotApi.start({ token: TOKEN });
    app = bridge(stack, fake);
    await app.start();
    for (const item of items) {
      updates.set(item.index, fake.pushText({ id: chatId, first_name: "Chaos" }, item.text).update_id);
    }
    await fake.waitForSent(items.length, chatId, 30_000);
    await waitFor(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM outbound_messages WHERE channel = 'im' AND status = 'sent'",
        );
        return rows[0]?.n === items.length;
      },
      { timeoutMs: 30_000, description: "every IM reply recorded as sent" },
    );
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await stack?.close();
    await spool?.remove();
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
    await db.query("UPDATE outbound_messages SET status = 'failed' WHERE id = $1", [await replyRow(2)]);
    const result = await verdict();
    expect(result).toMatchObject({ lost: 1, duplicateReplies: 1, duplicateRecords: 0 });
    expect(result.findings.lost[0]?.item).toBe(2);
    expect(result.broken).toEqual(["lost 1", "duplicate replies 1"]);

    // The bridge died between Telegram's answer and its record: the row is in doubt and the
    // unrecorded send is owed to it, not counted twice.
    await db.query("UPDATE outbound_messages SET status = 'unknown', external_ref = NULL WHERE id = $1", [
      await replyRow(1),
    ]);
    const inDoubt = await verdict();
    expect(inDoubt).toMatchObject({ lost: 1, duplicateReplies: 1, inDoubt: 1 });
  });
});
