import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { createLogger, type Database } from "@isikhnas/platform";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { denyReasonFor } from "./app.js";
import { markFailed, markSent } from "./delivery-status.js";
import { OutgoingSender, type OutgoingSenderOptions } from "./outgoing-sender.js";
import { parseIncoming } from "./spool/parse-incoming.js";
import { judgeWithSmsd, messageFiles, smsdAvailable, tempSpool } from "./testing/spool.js";

const logger = createLogger({ name: "sms-gateway-test", level: "silent" });

let stack: TestStack;
let db: Database;
let spool: Awaited<ReturnType<typeof tempSpool>>;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase();
});

afterAll(async () => {
  await stack?.close();
});

afterEach(async () => {
  await spool?.remove();
});

beforeEach(async () => {
  spool = await tempSpool();
  await db.query("DELETE FROM outbound_messages");
});

function sender(options: Partial<OutgoingSenderOptions> = {}, denyList: string[] = []) {
  return new OutgoingSender(
    { db, logger, denyReason: denyReasonFor(denyList) },
    {
      outgoingDir: spool.outgoing,
      batchSize: 50,
      pollIntervalMs: 50,
      retryBackoffMs: 0,
      rateLimitCount: 0,
      rateLimitWindowMs: 60_000,
      ...options,
    },
  );
}

async function queue(address: string, body: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO outbound_messages (channel, address, body, kind) VALUES ('sms', $1, $2, 'alert') RETURNING id`,
    [address, body],
  );
  return rows[0]!.id;
}

async function row(id: number) {
  const { rows } = await db.query<{
    status: string;
    attempts: number;
    external_ref: string | null;
    last_error: string | null;
  }>("SELECT status, attempts, external_ref, last_error FROM outbound_messages WHERE id = $1", [id]);
  return rows[0]!;
}

describe("OutgoingSender", () => {
  it("writes each queued row once as a file named by its external_ref, GSM-7 plain and the rest UCS2", async () => {
    const plain = await queue("6281100000007", "[iSIKHNAS] Case ID 12: 4 cattle");
    const unicode = await queue("+6281100000005", "[iSIKHNAS] sapi 🐄 “sakit”");
    const gateway = sender();

    expect(await gateway.sendBatch()).toBe(2);
    expect(await gateway.sendBatch()).toBe(0);

    const plainRow = await row(plain);
    const unicodeRow = await row(unicode);
    expect(plainRow).toMatchObject({ status: "sending", attempts: 1 });
    expect(plainRow.external_ref).toMatch(new RegExp(`^sms-${plain}-1-[0-9a-f]{6}$`));
    expect(await messageFiles(spool.outgoing)).toEqual(
      [plainRow.external_ref, unicodeRow.external_ref].sort(),
    );

    const plainFile = await readFile(join(spool.outgoing, plainRow.external_ref!));
    expect(plainFile.toString("utf8")).toBe("To: 6281100000007\n\n[iSIKHNAS] Case ID 12: 4 cattle");
    const unicodeFile = await readFile(join(spool.outgoing, unicodeRow.external_ref!));
    expect(unicodeFile.toString("latin1")).toMatch(/^To: 6281100000005\nAlphabet: UCS2\n\n/);
    const back = parseIncoming(Buffer.concat([Buffer.from("From: 1\n"), unicodeFile]));
    expect(back.ok && back.value.kind === "message" && back.value.text).toBe("[iSIKHNAS] sapi 🐄 “sakit”");
  });

  it("holds back a recipient over the rate limit without holding back others", async () => {
    const busy = [];
    for (let n = 0; n < 5; n += 1) busy.push(await queue("6281100000004", `alert ${n}`));
    const other = await queue("6281100000005", "other");
    const gateway = sender({ rateLimitCount: 2 });

    expect(await gateway.sendBatch()).toBe(3);
    expect((await row(other)).status).toBe("sending");
    const statuses = await Promise.all(busy.map(async (id) => (await row(id)).status));
    expect(statuses).toEqual(["sending", "sending", "queued", "queued", "queued"]);
    // Still within the window: nothing more for that recipient.
    expect(await gateway.sendBatch()).toBe(0);
  });

  it("cancels rows to short codes, alphanumeric senders and numbers on the deny list, never claiming them", async () => {
    const shortCode = await queue("3636", "x");
    const alphanumeric = await queue("TELKOMSEL", "x");
    const denied = await queue("6281299990000", "x");
    const allowed = await queue("6281100000006", "x");
    expect(await sender({}, ["+62812999*"]).sendBatch()).toBe(1);

    expect(await row(shortCode)).toMatchObject({ last_error: expect.stringMatching(/short code/) });
    expect(await row(denied)).toMatchObject({ last_error: "recipient is on the deny list" });
    for (const id of [shortCode, alphanumeric, denied]) {
      // Judged before the claim: no attempt counted, no file name given.
      expect(await row(id)).toMatchObject({ status: "cancelled", attempts: 0, external_ref: null });
    }
    expect((await row(allowed)).status).toBe("sending");
    expect(await messageFiles(spool.outgoing)).toEqual([(await row(allowed)).external_ref]);
  });

  it("retries a failed send with a new file, a bounded number of times, then marks it failed", async () => {
    const id = await queue("6281100000007", "retry me");
    const gateway = sender();
    const maxAttempts = 2;

    await gateway.sendBatch();
    const first = (await row(id)).external_ref!;
    expect(await markFailed(db, first, "Modem not registered", maxAttempts)).toBe("requeued");
    expect(await row(id)).toMatchObject({ status: "queued", last_error: "Modem not registered" });
    // The same verdict seen again (event and folder watch) changes nothing.
    expect(await markFailed(db, first, "Modem not registered", maxAttempts)).toBe("unknown");

    await gateway.sendBatch();
    const second = (await row(id)).external_ref!;
    expect(second).not.toBe(first);
    expect(second).toMatch(new RegExp(`^sms-${id}-2-`));
    expect(await markFailed(db, second, "No answer", maxAttempts)).toBe("failed");
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 2 });
    expect(await gateway.sendBatch()).toBe(0);
  });

  it("marks a row sent once smsd reports it", async () => {
    const id = await queue("6281100000007", "hello");
    await sender().sendBatch();
    const name = (await row(id)).external_ref!;
    expect(await markSent(db, name, new Date())).toBe("sent");
    expect(await markSent(db, name, new Date())).toBe("unknown");
    expect((await row(id)).status).toBe("sent");
  });

  it("claims the replies of a burst of wake-ups together, after the gather delay", async () => {
    class CountingSender extends OutgoingSender {
      batches = 0;
      override async sendBatch() {
        this.batches += 1;
        return super.sendBatch();
      }
    }
    const gateway = new CountingSender(
      { db, logger, denyReason: denyReasonFor([]) },
      {
        outgoingDir: spool.outgoing,
        batchSize: 50,
        pollIntervalMs: 60_000,
        // Long enough that the second row is queued within it even on a loaded machine.
        gatherMs: 3000,
        retryBackoffMs: 0,
        rateLimitCount: 0,
        rateLimitWindowMs: 60_000,
      },
    );
    gateway.start();
    await waitFor(() => gateway.batches === 1, { description: "the first, empty batch" });
    const first = await queue("6281100000007", "first of a burst");
    const woken = performance.now();
    gateway.wake();
    const second = await queue("6281100000005", "second of a burst");
    gateway.wake();
    await waitFor(async () => (await row(second)).status === "sending", { description: "the burst claimed" });
    expect((await row(first)).status).toBe("sending");
    // Not at once: the first wake-up waited for the gather delay, and the second rode along.
    expect(performance.now() - woken).toBeGreaterThanOrEqual(2950);
    expect(gateway.batches).toBe(2);
    await gateway.stop();
  });

  it("runs as a loop that a wake-up hurries and stop() ends", async () => {
    const gateway = sender({ pollIntervalMs: 60_000 });
    gateway.start();
    const id = await queue("6281100000007", "woken");
    gateway.wake();
    await waitFor(async () => (await row(id)).status === "sending", { description: "the woken sender" });
    await gateway.stop();
  });
});

describe("outgoing files judged by the real smsd", async () => {
  const available = await smsdAvailable();
  it.skipIf(!available)(
    "every file the gateway writes reaches checked/, none failed/ (needs smsd: Debian smstools)",
    async () => {
      const bodies = [
        "[iSIKHNAS] Case ID 2238. 5 cattle : Recovered",
        "[iSIKHNAS] Format: U [sign,sign…] [species] [n] {location} {ddx,ddx…}",
        "[iSIKHNAS] sapi 🐄 sakit di desa “Sukamaju”",
        "[iSIKHNAS] Δ€{}[]~|^\\ £¥§ èéùìò",
        `[iSIKHNAS] ${"Kode spesies: AY ayam, IT itik, AG angsa, EG entok, MP merpati, PY puyuh, SP sapi. ".repeat(5)}`,
        `[iSIKHNAS] ${"Kasus baru — sapi 🐄 ".repeat(20)}`,
      ];
      for (const body of bodies) await queue("6281100000007", body);
      await queue("+6281100000005", "[iSIKHNAS] plus sign dropped");
      expect(await sender().sendBatch()).toBe(bodies.length + 1);

      const verdict = await judgeWithSmsd(spool, bodies.length + 1);
      expect(verdict.failed, verdict.log).toEqual([]);
      expect(verdict.checked).toHaveLength(bodies.length + 1);
    },
  );
});

describe("files smsd refuses", async () => {
  const available = await smsdAvailable();
  it.skipIf(!available)(
    "land in failed/, which shows the judge is real (needs smsd: Debian smstools)",
    async () => {
      await writeFile(join(spool.outgoing, ".bad.tmp"), "Hello without a recipient\n");
      await rename(join(spool.outgoing, ".bad.tmp"), join(spool.outgoing, "bad"));
      const verdict = await judgeWithSmsd(spool, 1);
      expect(verdict.failed).toEqual(["bad"]);
    },
  );
});
