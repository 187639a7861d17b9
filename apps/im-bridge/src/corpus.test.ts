// The IM bad-input corpus (src/corpus/, written by `npm run fuzz:corpus`) posted to the
// bridge's real webhook against the test database and the fake Bot API: nothing crashes
// it, every stored update ends handled (with a reply) or ignored with its reason, no
// update waits for ever, and every body Telegram would re-send is answered 200.
import { readdir, readFile } from "node:fs/promises";
import { createTestStack, FakeBotApi, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import type { Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImBridge } from "./app.js";
import { bridge, seeded, TOKEN } from "./testing/bridge.js";

const corpusDir = new URL("./corpus/", import.meta.url);
const SECRET = "corpus-secret-token-0123";

let stack: TestStack;
let db: Database;
let fake: FakeBotApi;
let app: ImBridge;

beforeAll(async () => {
  stack = await createTestStack();
  await stack.provision({ queues: [], buckets: ["images"] });
  db = stack.openDatabase();
  await seeded(db);
  fake = await FakeBotApi.start({ token: TOKEN });
  app = bridge(stack, fake, {
    IM_MODE: "webhook",
    IM_WEBHOOK_SECRET: SECRET,
    IM_WEBHOOK_HOST: "127.0.0.1",
    IM_WEBHOOK_PORT: "0",
    IM_WEBHOOK_REGISTER: "false",
  });
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await stack?.close();
});

describe("the IM corpus", () => {
  it("answers or ignores with a reason every update, and never fails a body Telegram would re-send", async () => {
    const names = (await readdir(corpusDir)).filter((name) => name.endsWith(".json")).sort();
    expect(names.length).toBeGreaterThan(50);
    const statuses = new Map<string, number>();
    let nextId = 5_000_000;
    for (const name of names) {
      const body = (await readFile(new URL(name, corpusDir), "utf8")).replace(
        '"__UPDATE_ID__"',
        String(nextId++),
      );
      const response = await fetch(`http://127.0.0.1:${app.webhookPort}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body,
      });
      statuses.set(name, response.status);
    }
    expect([...statuses].filter(([, status]) => status !== 200)).toEqual([]);
    await app.drain();
    const stuck = () => db.query<{ kind: string }>("SELECT kind FROM im_updates WHERE status = 'received'");
    await waitFor(async () => (await stuck()).rows.length === 0).catch(async (error: unknown) => {
      throw new Error(`still unhandled: ${JSON.stringify((await stuck()).rows)}`, { cause: error });
    });
    const { rows: ignoredWithoutReason } = await db.query(
      "SELECT update_id, kind FROM im_updates WHERE status = 'ignored' AND coalesce(reason, '') = ''",
    );
    expect(ignoredWithoutReason).toEqual([]);
    // Every handled update from a chat queued exactly what it should: at most one reply each.
    await app.sender.sendOnce();
    const { rows: twice } = await db.query(
      `SELECT inbound_message_id FROM outbound_messages WHERE channel = 'im' AND kind <> 'alert'
         AND inbound_message_id IS NOT NULL GROUP BY inbound_message_id HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
    const ready = await fetch(`http://127.0.0.1:${app.healthPort}/readyz`);
    expect(ready.status).toBe(200);
  });
});
