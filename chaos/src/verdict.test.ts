// The verdict counts from where outcomes are: these runs go through the real gateway and
// then take away a sent reply or send one twice, as a broken daemon would, and the
// verdict must see it.
import { copyFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmsGateway } from "../../apps/sms-gateway/src/app.js";
import { gateway } from "../../apps/sms-gateway/src/testing/gateway.js";
import { messageFiles } from "../../apps/sms-gateway/src/testing/spool.js";
import { deliverSms, startSmsd } from "./feed.js";
import type { SmsItem } from "./load.js";
import { type VerdictStack, verdictPlan, verdictStack } from "./testing/verdict-stack.js";

describe("the verdict", () => {
  let harness: VerdictStack;
  let app: SmsGateway;
  let smsd: { stop(): Promise<void> };
  const plan = verdictPlan();
  const sender = plan.extraPhones.village_reporter[0] ?? "";
  const report = "U mc,dm sp 4 72060202";
  const items: SmsItem[] = [
    { index: 0, category: "report", text: report },
    { index: 1, category: "repeat", text: report },
    { index: 2, category: "query", text: "?" },
  ].map(({ index, category, text }) => ({
    channel: "sms",
    index,
    category: category as SmsItem["category"],
    sender,
    registered: true,
    files: [{ name: `GSM1.verdict-${index}`, text }],
    ...(category === "query" ? {} : { reportKey: `${sender}|${report}` }),
  }));

  const verdict = () => harness.verdict(items);

  /** The sent/ file of the reply to item `index`. */
  async function replyFile(index: number): Promise<string> {
    const { rows } = await harness.db.query<{ id: string }>(
      `SELECT o.id::text FROM outbound_messages o JOIN inbound_messages m ON m.id = o.inbound_message_id
        WHERE o.kind = 'reply' AND m.external_id LIKE $1`,
      [`sms-file:GSM1.verdict-${index}:%`],
    );
    const files = await messageFiles(harness.spool.sent);
    const file = files.find((name) => name.startsWith(`sms-${rows[0]?.id}-`));
    if (!file) throw new Error(`no sent reply for item ${index}`);
    return file;
  }

  beforeAll(async () => {
    harness = await verdictStack(plan);
    app = gateway(harness.stack, harness.spool);
    await app.start();
    smsd = startSmsd(harness.spool.root);
    for (const item of items) await deliverSms(harness.spool.root, item);
    await harness.waitForSent("kind = 'reply'", items.length, "a reply sent for every item");
  });

  afterAll(async () => {
    await smsd?.stop();
    await app?.stop();
    await harness?.close();
  });

  it("finds every promise kept when the gateway answered each message once", async () => {
    const result = await verdict();
    expect(result).toMatchObject({
      itemsIn: 3,
      recordsExpected: 1,
      recordsStored: 1,
      repliesExpected: 3,
      repliesSent: 3,
      lost: 0,
      duplicateRecords: 0,
      duplicateReplies: 0,
      broken: [],
    });
  });

  it("counts a reply sent twice and a reply never sent", async () => {
    // A second file of the repeat's reply row, as a resend after a crash would leave it.
    const twice = await replyFile(1);
    await copyFile(
      join(harness.spool.sent, twice),
      join(harness.spool.sent, twice.replace(/-1-([0-9a-f]+)$/, "-2-$1")),
    );
    await rm(join(harness.spool.sent, await replyFile(2)));
    const result = await verdict();
    expect(result).toMatchObject({ lost: 1, duplicateReplies: 1, duplicateRecords: 0 });
    expect(result.findings.lost[0]?.item).toBe(2);
    expect(result.findings.duplicateReplies[0]?.item).toBe(1);
    expect(result.broken).toEqual(["lost 1", "duplicate replies 1"]);
  });
});
