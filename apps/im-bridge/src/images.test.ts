// Photos on cases through the bridge: caption IMAGE <case>, a reply to the bot's case
// message, an album with one reply, a file over the Bot API's 20 MB, and the area rule.
import { createHash, randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { createTestStack, FakeBotApi, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { createBuckets, createLogger, type Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImBridge } from "./app.js";
import { bridge, linkedUser, seeded, TOKEN } from "./testing/bridge.js";

let stack: TestStack;
let db: Database;
let fake: FakeBotApi;
let app: ImBridge;
let caseId: number;
let caseMessageId: number;
const reporter = linkedUser("village_reporter");
// Every line the bridge logs, at debug: file URLs carry the bot token and must never appear.
const logLines: string[] = [];
const logger = createLogger({
  name: "im-bridge-test",
  level: "debug",
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});

beforeAll(async () => {
  stack = await createTestStack();
  await stack.provision({ queues: [], buckets: ["images"] });
  db = stack.openDatabase();
  await seeded(db);
  fake = await FakeBotApi.start({ token: TOKEN });
  app = bridge(stack, fake, {}, logger);
  await app.start();
  fake.pushText(reporter, "U mc,dm sp 4");
  const [reply] = await fake.waitForSent(1, reporter.id);
  caseId = Number(/ID Kasus (\d+)/.exec(reply?.text ?? "")?.[1]);
  caseMessageId = reply?.message_id ?? 0;
  expect(caseId).toBeGreaterThanOrEqual(1000);
});

afterAll(async () => {
  await app?.stop();
  // The secret half of the token, in any log line, would leak it (file URLs, error texts).
  const secret = TOKEN.split(":")[1] ?? TOKEN;
  expect(logLines.length).toBeGreaterThan(0);
  expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
  await fake?.close();
  await stack.close();
});

async function imageEvents(): Promise<{ key: string; sha256: string; size: number }[]> {
  const { rows } = await db.query<{ detail: { key: string; sha256: string; size: number } }>(
    "SELECT detail FROM case_events WHERE case_id = $1 AND kind = 'image' ORDER BY id",
    [caseId],
  );
  return rows.map((row) => row.detail);
}

const images = () => createBuckets({ s3: stack.s3 }, { prefix: stack.prefix }).images;

describe("photos on cases", () => {
  it("stores the largest size under its content hash and attaches it to the case named in the caption", async () => {
    const bytes = randomBytes(300_000);
    fake.pushPhoto(reporter, bytes, { caption: `IMAGE ${caseId}` });
    const sent = await fake.waitForSent(2, reporter.id);
    expect(sent[1]?.text).toBe(`[iSIKHNAS] [Case ID ${caseId}]. 1 foto disimpan. Terima kasih.`);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    expect(await imageEvents()).toEqual([
      { key: `im/${sha256}`, sha256, size: bytes.length, source: expect.any(String) },
    ]);
    const stored = await images().get(`im/${sha256}`);
    const chunks: Buffer[] = [];
    for await (const chunk of stored.body) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    const { rows } = await db.query(
      "SELECT 1 FROM inbound_messages WHERE command_code = 'IMAGE' AND case_id = $1",
      [caseId],
    );
    expect(rows).toHaveLength(1);
  });

  it("takes a photo sent as a reply to the bot's message about the case", async () => {
    const before = (await imageEvents()).length;
    fake.pushPhoto(reporter, randomBytes(10_000), { replyTo: caseMessageId });
    const sent = await fake.waitForSent(3, reporter.id);
    expect(sent[2]?.text).toContain(`[Case ID ${caseId}]`);
    expect(await imageEvents()).toHaveLength(before + 1);
  });

  it("answers an album of three photos once and attaches all three", async () => {
    const before = (await imageEvents()).length;
    const group = `album-${randomBytes(4).toString("hex")}`;
    fake.pushPhoto(reporter, randomBytes(20_000), { caption: `image ${caseId}`, mediaGroupId: group });
    fake.pushPhoto(reporter, randomBytes(20_000), { mediaGroupId: group });
    fake.pushPhoto(reporter, randomBytes(20_000), { mediaGroupId: group });
    await waitFor(async () => (await imageEvents()).length === before + 3);
    await app.drain();
    await app.sender.sendOnce();
    const sent = await fake.waitForSent(4, reporter.id);
    expect(sent).toHaveLength(4);
    expect(sent[3]?.text).toContain(`[Case ID ${caseId}]. 3 foto`);
  });

  it("refuses a 25 MB file with a clear reply, storing nothing", async () => {
    const before = (await imageEvents()).length;
    fake.pushPhoto(reporter, Buffer.alloc(25 * 1024 * 1024, 7), { caption: `IMAGE ${caseId}` });
    const sent = await fake.waitForSent(5, reporter.id);
    expect(sent[4]?.text).toMatch(/terlalu besar \(maksimum 20 MB\)/);
    expect(await imageEvents()).toHaveLength(before);
    expect(fake.calls.filter((call) => call.method === "getFile")).toHaveLength(5);
  });

  it("refuses a case outside the sender's areas and a case that does not exist", async () => {
    const lab = linkedUser("lab_staff");
    fake.pushPhoto(lab, randomBytes(1000), { caption: `IMAGE ${caseId}` });
    fake.pushPhoto(lab, randomBytes(1000), { caption: "IMAGE 999999" });
    fake.pushPhoto(lab, randomBytes(1000));
    const sent = await fake.waitForSent(3, lab.id);
    expect(sent.map((message) => message.text)).toEqual([
      expect.stringMatching(new RegExp(`Kasus ${caseId} di luar wilayah`)),
      expect.stringMatching(/Kasus 999999 tidak ditemukan/),
      expect.stringMatching(/tanpa id kasus/),
    ]);
  });
});
