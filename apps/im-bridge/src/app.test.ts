// The bridge end to end against the fake Bot API, real PostgreSQL and the S3 emulator:
// linking, commands and replies, alerts by IM, the 409 of a second poller, webhooks.

import { captureLog, createTestStack, FakeBotApi, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ImBridge } from "./app.js";
import { bridge, linkedUser, seeded, TOKEN } from "./testing/bridge.js";

let stack: TestStack;
let db: Database;
let fake: FakeBotApi;
const running: ImBridge[] = [];

function start(
  overrides: Record<string, string> = {},
  log?: Parameters<typeof bridge>[3],
): Promise<ImBridge> {
  const app = bridge(stack, fake, overrides, log);
  running.push(app);
  return app.start().then(() => app);
}

beforeAll(async () => {
  stack = await createTestStack();
  await stack.provision({ queues: [], buckets: ["images"] });
  db = stack.openDatabase();
  await seeded(db);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.stop()));
  await fake?.close();
});

afterAll(async () => {
  await stack.close();
});

async function freshFake(): Promise<FakeBotApi> {
  fake = await FakeBotApi.start({ token: TOKEN });
  return fake;
}

describe("linking a chat account", () => {
  it("links the sender's own contact to the registered user and greets them by name", async () => {
    await freshFake();
    await start();
    const stranger = { id: 55501, first_name: "Budi" };
    fake.pushText(stranger, "U mc,dm sp 4");
    const [howTo] = await fake.waitForSent(1, stranger.id);
    expect(howTo?.text).toMatch(/belum terhubung/);
    expect(JSON.stringify(howTo?.reply_markup)).toContain("request_contact");

    fake.pushContact(stranger, "+62 811-0000-0007");
    const sent = await fake.waitForSent(2, stranger.id);
    expect(sent[1]?.text).toContain(DEMO_USERS.village_reporter.name);
    const { rows } = await db.query<{ name: string }>(
      `SELECT u.name FROM contacts c JOIN users u ON u.id = c.user_id
       WHERE c.channel = 'im' AND c.address = '55501' AND c.deleted_at IS NULL AND c.verified`,
    );
    expect(rows).toEqual([{ name: DEMO_USERS.village_reporter.name }]);
  });

  it("refuses someone else's contact and an unknown number, linking nothing", async () => {
    await freshFake();
    await start();
    const sender = { id: 55502, first_name: "Eko" };
    const other = { id: 55599, first_name: "Orang lain" };
    fake.pushContact(sender, DEMO_USERS.district_vet.phone, other);
    fake.pushContact(sender, "+62 899 1234 5678");
    const sent = await fake.waitForSent(2, sender.id);
    expect(sent[0]?.text).toMatch(/nomor Anda sendiri/);
    expect(sent[1]?.text).toMatch(/belum terdaftar/);
    const { rows } = await db.query("SELECT 1 FROM contacts WHERE channel = 'im' AND address = '55502'");
    expect(rows).toHaveLength(0);
  });

  it("answers an unlinked sender once a day, not once a message", async () => {
    await freshFake();
    const app = await start();
    const stranger = { id: 55503, first_name: "Tamu" };
    for (const text of ["halo", "?", "U mc sp 1"]) fake.pushText(stranger, text);
    await waitFor(async () => {
      const { rows } = await db.query(
        "SELECT 1 FROM im_updates WHERE from_id = '55503' AND status <> 'received'",
      );
      return rows.length === 3;
    });
    await app.drain();
    await fake.waitForSent(1, stranger.id);
    await app.sender.sendOnce();
    expect(fake.sentTo(stranger.id)).toHaveLength(1);
  });
});

describe("commands", () => {
  it("runs a linked officer's text through the command engine: one reply, one case, an IM alert to a linked officer", async () => {
    await db.query("UPDATE deployment_settings SET value = 'true' WHERE key = 'alerts.im_when_linked'");
    try {
      await freshFake();
      await start();
      const reporter = linkedUser("village_reporter");
      const vet = linkedUser("district_vet");
      fake.pushText(reporter, "U mc,dm sp 4");
      const [reply] = await fake.waitForSent(1, reporter.id);
      expect(reply?.text).toMatch(/^\[iSIKHNAS\] \[ID Kasus \d+\]/);
      const [alert] = await fake.waitForSent(1, vet.id);
      expect(alert?.text).toMatch(/case \d+|kasus \d+/i);
      const alertRows = () =>
        db.query<{ channel: string; address: string; status: string; external_ref: string }>(
          `SELECT o.channel, o.address, o.status, o.external_ref FROM outbound_messages o
           JOIN inbound_messages i ON i.id = o.inbound_message_id
           WHERE i.channel = 'im' AND o.kind = 'alert'
             AND o.user_id = (SELECT user_id FROM contacts WHERE channel = 'im' AND address = $1)`,
          [String(vet.id)],
        );
      await waitFor(async () => (await alertRows()).rows[0]?.status === "sent");
      expect((await alertRows()).rows).toEqual([
        { channel: "im", address: String(vet.id), status: "sent", external_ref: String(alert?.message_id) },
      ]);
      // Each officer is alerted on one channel: IM when linked, never IM and SMS both.
      const perUser = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbound_messages o JOIN inbound_messages i ON i.id = o.inbound_message_id
         WHERE i.channel = 'im' AND o.kind = 'alert' GROUP BY o.user_id HAVING count(*) > 1`,
      );
      expect(perUser.rows).toEqual([]);
    } finally {
      await db.query("UPDATE deployment_settings SET value = 'false' WHERE key = 'alerts.im_when_linked'");
    }
  });

  it("logs a text and the reply sent for it under one correlationId", async () => {
    const { logger: log, lines } = captureLog("im-bridge-test");
    await freshFake();
    await start({}, log);
    const reporter = linkedUser("village_reporter");
    fake.pushText(reporter, "?");
    await fake.waitForSent(1, reporter.id);
    const { rows } = await db.query<{ id: string }>(
      "SELECT i.id::text FROM inbound_messages i WHERE i.channel = 'im' AND i.sender = $1 AND i.text = '?'",
      [String(reporter.id)],
    );
    const correlationId = `inbound:${rows[0]?.id}`;
    const handled = await waitFor(() => lines.find((line) => line.msg === "im message handled"));
    expect(handled).toMatchObject({ correlationId, sender: String(reporter.id) });
    const sent = await waitFor(() => lines.find((line) => line.msg === "IM message sent"));
    expect(sent).toMatchObject({ correlationId });
  });

  it("answers stickers, voice, locations, documents, edits and group chats politely, never silently", async () => {
    await freshFake();
    await start();
    const user = linkedUser("paravet");
    const base = () => fake.message(user);
    fake.push({
      message: {
        ...base(),
        sticker: {
          file_id: "s",
          file_unique_id: "s",
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
          type: "regular",
        },
      },
    });
    fake.push({ message: { ...base(), voice: { file_id: "v", file_unique_id: "v", duration: 2 } } });
    fake.push({ message: { ...base(), location: { latitude: -2.5, longitude: 121.9 } } });
    fake.push({
      message: { ...base(), document: { file_id: "d", file_unique_id: "d", file_name: "x.pdf" } },
    });
    fake.push({ edited_message: { ...base(), text: "U mc sp 4", edit_date: 1 } });
    fake.push({
      message: { ...fake.message(user, { id: -100123, type: "group", title: "Dinas" }), text: "U mc sp 4" },
    });
    const sent = await fake.waitForSent(5, user.id);
    expect(sent.map((m) => m.text).join("\n")).toMatch(
      /stiker[\s\S]*suara[\s\S]*lokasi[\s\S]*dokumen[\s\S]*diubah/,
    );
    const [group] = await fake.waitForSent(1, -100123);
    expect(group?.text).toMatch(/chat pribadi/);
  });
});

describe("nothing lost, nothing twice", () => {
  it("after a crash between the commit and the next offset, the re-delivered update is one record and one reply", async () => {
    await freshFake();
    const user = linkedUser("paravet");
    const update = fake.pushText(user, "KODE SP");
    // The offset past the update never reaches Telegram: as if the process died right after the commit.
    fake.intercept((call) =>
      call.method === "getUpdates" && Number(call.params.offset ?? 0) > update.update_id
        ? { status: 502, description: "Bad Gateway" }
        : undefined,
    );
    const first = await start();
    await fake.waitForSent(1, user.id);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    expect(fake.pending.map((u) => u.update_id)).toContain(update.update_id);

    const seen = fake.calls.length;
    const second = await start();
    await waitFor(() => fake.calls.slice(seen).some((call) => call.method === "getUpdates"));
    await waitFor(() => fake.calls.slice(seen).filter((call) => call.method === "getUpdates").length >= 2);
    await second.drain();
    await second.sender.sendOnce();
    const records = await db.query("SELECT 1 FROM im_updates WHERE bot_id = '7000001' AND update_id = $1", [
      update.update_id,
    ]);
    const inbound = await db.query(
      "SELECT 1 FROM inbound_messages WHERE channel = 'im' AND external_id = $1",
      [`7000001:${update.update_id}`],
    );
    expect(records.rows).toHaveLength(1);
    expect(inbound.rows).toHaveLength(1);
    expect(fake.sentTo(user.id)).toHaveLength(1);
  });

  it("a sender that dies during sendMessage leaves the row in doubt, never sent again", async () => {
    await freshFake();
    const user = linkedUser("inseminator");
    let hung = 0;
    fake.intercept((call) => {
      if (call.method !== "sendMessage" || String(call.params.chat_id) !== String(user.id)) return undefined;
      hung += 1;
      return { hang: true };
    });
    const first = await start({ IM_STOP_DEADLINE_MS: "500" });
    fake.pushText(user, "?");
    await waitFor(() => hung === 1);
    const { rows } = await db.query<{ id: number; status: string; attempts: number }>(
      `SELECT id, status, attempts FROM outbound_messages WHERE channel = 'im' AND address = $1`,
      [String(user.id)],
    );
    expect(rows).toEqual([{ id: expect.any(Number), status: "sending", attempts: 1 }]);

    // Another host (or this one restarted) finds the row still 'sending' past the lease.
    const second = await start({ IM_SEND_LEASE_SECONDS: "1", IM_STOP_DEADLINE_MS: "500" });
    await waitFor(async () => {
      const found = await db.query<{ status: string }>("SELECT status FROM outbound_messages WHERE id = $1", [
        rows[0]?.id,
      ]);
      return found.rows[0]?.status === "unknown";
    });
    await second.sender.sendOnce();
    expect(hung).toBe(1);
    void first;
  });

  it("a sender that dies with a batch claimed leaves only the row it was sending in doubt; the others are sent", async () => {
    await freshFake();
    const user = linkedUser("district_coordinator");
    // Two replies queued for one chat: its rows go one after the other.
    const { rows: queued } = await db.query<{ id: number }>(
      `INSERT INTO outbound_messages (channel, address, body, kind)
       VALUES ('im', $1, '[iSIKHNAS] pertama', 'reply'), ('im', $1, '[iSIKHNAS] kedua', 'reply')
       RETURNING id`,
      [String(user.id)],
    );
    let calls = 0;
    fake.intercept((call) => {
      if (call.method !== "sendMessage" || String(call.params.chat_id) !== String(user.id)) return undefined;
      calls += 1;
      return calls === 1 ? { hang: true } : undefined;
    });
    await start({ IM_STOP_DEADLINE_MS: "500" });
    await waitFor(() => calls === 1);
    const status = async () =>
      (
        await db.query<{ status: string }>(
          "SELECT status FROM outbound_messages WHERE id = ANY($1) ORDER BY id",
          [queued.map((row) => row.id)],
        )
      ).rows.map((row) => row.status);
    // The whole batch is claimed; only the first row's call has begun.
    expect(await status()).toEqual(["sending", "sending"]);

    // Another host finds both past the lease: the first is in doubt, the second is sent.
    await start({ IM_SEND_LEASE_SECONDS: "1", IM_STOP_DEADLINE_MS: "500" });
    await waitFor(async () => (await status()).join() === "unknown,sent", {
      description: "the first row in doubt and the second sent",
    });
    expect(fake.sentTo(user.id).map((message) => message.text)).toEqual(["[iSIKHNAS] kedua"]);
    expect(calls).toBe(2);
  });

  it("honours 429 retry_after and still sends once", async () => {
    await freshFake();
    const user = linkedUser("abattoir_reporter");
    fake.failNext("sendMessage", {
      status: 429,
      description: "Too Many Requests: retry after 1",
      retryAfter: 1,
    });
    await start();
    const started = Date.now();
    fake.pushText(user, "?");
    await fake.waitForSent(1, user.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls.filter((call) => call.method === "sendMessage")).toHaveLength(2);
  });
});

describe("one poller per token", () => {
  it("a second instance gets 409, says so, stays ready and does not poll over the first", async () => {
    await freshFake();
    const first = await start({ IM_POLL_TIMEOUT_SECONDS: "5" });
    await waitFor(() => first.pollerState === "polling" || fake.calls.some((c) => c.method === "getUpdates"));
    const second = await start({ IM_POLL_TIMEOUT_SECONDS: "5", IM_CONFLICT_BACKOFF_MS: "60000" });
    await waitFor(() => second.pollerState === "standing-by");
    const ready = await fetch(`http://127.0.0.1:${second.healthPort}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${second.healthPort}/metrics`)).text();
    expect(metrics).toContain("im_polling 0");
    const user = linkedUser("viewer");
    fake.pushText(user, "?");
    expect((await fake.waitForSent(1, user.id))[0]?.text).toMatch(/iSIKHNAS/);
  });
});

describe("webhook mode", () => {
  it("refuses a caller without the secret token and stores what Telegram posts", async () => {
    await freshFake();
    const secret = "s3cret-token-for-tests";
    const app = await start({
      IM_MODE: "webhook",
      IM_WEBHOOK_SECRET: secret,
      IM_WEBHOOK_HOST: "127.0.0.1",
      IM_WEBHOOK_PORT: "0",
      IM_WEBHOOK_URL: "https://bot.example.org/telegram",
    });
    expect(fake.webhookInfo).toEqual({ url: "https://bot.example.org/telegram", secretToken: secret });
    const user = linkedUser("district_coordinator");
    const update = { update_id: 777, message: { ...fake.message(user), text: "?" } };
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${app.webhookPort}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(update),
      });
    expect((await post({ "x-telegram-bot-api-secret-token": "wrong-secret-value" })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    expect((await db.query("SELECT 1 FROM im_updates WHERE update_id = 777")).rows).toHaveLength(0);
    expect((await post({ "x-telegram-bot-api-secret-token": secret })).status).toBe(200);
    expect((await post({ "x-telegram-bot-api-secret-token": secret })).status).toBe(200);
    expect((await fake.waitForSent(1, user.id))[0]?.text).toMatch(/iSIKHNAS/);
    expect((await db.query("SELECT 1 FROM im_updates WHERE update_id = 777")).rows).toHaveLength(1);
  });
});
