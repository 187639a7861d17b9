import { readdir, utimes } from "node:fs/promises";
import { join } from "node:path";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIncomingDeps } from "./app.js";
import { handleIncomingFile, type IncomingDeps, sweepParts } from "./incoming-handler.js";
import { dropBacklog, logger } from "./testing/gateway.js";
import { messageFiles, tempSpool, testConfig } from "./testing/spool.js";

const reporter = DEMO_USERS.village_reporter;
const WAIT_MS = 120_000;

let stack: TestStack;
let db: Database;
let spool: Awaited<ReturnType<typeof tempSpool>>;
let clock: number;
let deps: IncomingDeps;

beforeEach(async () => {
  stack = await createTestStack();
  db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
  spool = await tempSpool();
  clock = Date.now();
  const config = testConfig(stack.env, spool.root);
  deps = createIncomingDeps({ config, db, logger, now: () => new Date(clock) });
});

afterEach(async () => {
  await stack.close();
  await spool.remove();
});

const part = (n: number, text: string) => ({ from: reporter.phone, text, udh: `05 00 03 40 02 0${n}` });
const single = (index: number) => ({ from: "6281299900000", text: `? ${index}` });

async function handleAll(names: readonly string[]) {
  for (const name of names) await handleIncomingFile(deps, join(spool.incoming, name));
}

async function joined() {
  const { rows } = await db.query<{ id: number; text: string; external_id: string }>(
    "SELECT id, text, external_id FROM inbound_messages WHERE external_id LIKE 'sms-parts:%' ORDER BY id",
  );
  return rows;
}

/** Replies to the sender (a report also notifies officers). */
async function replies(inboundIds: number[]) {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM outbound_messages
      WHERE inbound_message_id = ANY($1::bigint[]) AND address = $2`,
    [inboundIds, reporter.phone],
  );
  return Number(rows[0]!.n);
}

describe("concatenated parts behind a backlog", () => {
  it("joins the parts when a backlog between them takes longer than the wait", async () => {
    const fillers = Array.from({ length: 20 }, (_, index) => `GSM1.m${String(index).padStart(3, "0")}`);
    dropBacklog(spool, ["GSM1.a"], () => part(1, "U mc,dm sp 4 "));
    dropBacklog(spool, fillers, single);
    dropBacklog(spool, ["GSM1.z"], () => part(2, "72060202 coc,sal"));

    await handleAll(["GSM1.a"]);
    // The gateway works through the backlog for far longer than the wait.
    clock += 6 * 60_000;
    expect(await sweepParts(deps, WAIT_MS)).toBe(0);
    await handleAll(fillers.slice(0, 10));
    clock += 3 * 60_000;
    expect(await sweepParts(deps, WAIT_MS)).toBe(0);
    await handleAll([...fillers.slice(10), "GSM1.z"]);
    expect(await sweepParts(deps, WAIT_MS)).toBe(0);

    const messages = await joined();
    expect(messages.map((message) => message.text)).toEqual(["U mc,dm sp 4 72060202 coc,sal"]);
    expect(messages[0]!.external_id).not.toMatch(/partial/);
    expect(await replies(messages.map((message) => message.id))).toBe(1);
    expect(await readdir(spool.parts)).toEqual([]);
    expect(await messageFiles(spool.incoming)).toEqual([]);
  });

  it("answers a part whose sibling never comes once, after the backlog written in its wait is read", async () => {
    dropBacklog(spool, ["GSM1.a"], () => part(1, "U mc,dm sp 4 "));
    dropBacklog(spool, ["GSM1.m000"], single);
    await handleAll(["GSM1.a"]);
    // A file smsd wrote after the wait was over cannot be the missing part: it holds nothing up.
    dropBacklog(spool, ["GSM1.later"], single);
    const later = new Date(clock + WAIT_MS + 60_000);
    await utimes(join(spool.incoming, "GSM1.later"), later, later);

    clock += WAIT_MS - 1;
    expect(await sweepParts(deps, WAIT_MS)).toBe(0);
    clock += 1;
    // GSM1.m000 was written before the part was taken in and is still unread.
    expect(await sweepParts(deps, WAIT_MS)).toBe(0);
    await handleAll(["GSM1.m000"]);
    expect(await sweepParts(deps, WAIT_MS)).toBe(1);
    expect(await sweepParts(deps, WAIT_MS)).toBe(0);

    const messages = await joined();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.external_id).toMatch(/:partial$/);
    expect(await replies(messages.map((message) => message.id))).toBe(1);
    expect(await readdir(spool.parts)).toEqual([]);
    expect(await messageFiles(spool.incoming)).toEqual(["GSM1.later"]);
  });
});
