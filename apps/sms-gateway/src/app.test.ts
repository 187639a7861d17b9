import { readdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { captureLog, createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS, handleInboundMessage, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database, Env } from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SmsGateway } from "./app.js";
import { MISSING_PART_MARK } from "./concatenation.js";
import { parseIncoming } from "./spool/parse-incoming.js";
import { dropBacklog, dropFixture, dropIncoming, gateway, readOutgoing } from "./testing/gateway.js";
import { messageFiles, tempSpool } from "./testing/spool.js";

const reporter = DEMO_USERS.village_reporter;
/** The reporter's number as a handset in Indonesia sends it. */
const reporterLocal = `0${reporter.phone.slice(2)}`;

let stack: TestStack;
let db: Database;
let spool: Awaited<ReturnType<typeof tempSpool>>;
const running: SmsGateway[] = [];

beforeEach(async () => {
  stack = await createTestStack();
  db = stack.openDatabase({ statementTimeoutMs: 30_000 });
  await seedReferenceData(db);
  await seedDemoData(db);
  spool = await tempSpool();
});

afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
  await stack.close();
  await spool.remove();
});

async function start(overrides: Env = {}, extra: Parameters<typeof gateway>[3] = {}) {
  const app = gateway(stack, spool, overrides, extra);
  running.push(app);
  await app.start();
  return app;
}

async function inbound(externalIdPattern: string) {
  const { rows } = await db.query<{ id: number; sender: string; text: string; external_id: string }>(
    "SELECT id, sender, text, external_id FROM inbound_messages WHERE external_id LIKE $1 ORDER BY id",
    [externalIdPattern],
  );
  return rows;
}

function decode(file: Buffer): { to: string; alphabet: string | undefined; text: string } {
  const parsed = parseIncoming(Buffer.concat([Buffer.from("From: x\n"), file]));
  if (!parsed.ok || parsed.value.kind !== "message") throw new Error("unreadable outgoing file");
  const header = file.subarray(0, file.indexOf("\n\n")).toString("latin1");
  return {
    to: /^To: (.*)$/m.exec(header)?.[1] ?? "",
    alphabet: /^Alphabet: (.*)$/m.exec(header)?.[1],
    text: parsed.value.text,
  };
}

describe("sms gateway, end to end", () => {
  it("turns an incoming file into one inbound message and one plain reply file", async () => {
    await start();
    await dropIncoming(spool, "GSM1.aB3dE9", { from: reporterLocal, text: "?" });

    const [reply] = await waitFor(async () => {
      const files = await messageFiles(spool.outgoing);
      return files.length > 0 && files;
    });
    const file = decode(await readOutgoing(spool, reply!));
    expect(file.to).toBe(reporter.phone);
    expect(file.alphabet).toBeUndefined();
    expect(file.text).toMatch(/^\[iSIKHNAS\] /);

    const [message] = await inbound("sms-file:GSM1.aB3dE9:%");
    expect(message).toMatchObject({ sender: reporter.phone, text: "?" });
    expect(await messageFiles(spool.incoming)).toEqual([]);
    const { rows } = await db.query(
      "SELECT status, external_ref FROM outbound_messages WHERE inbound_message_id = $1",
      [message!.id],
    );
    expect(rows).toEqual([{ status: "sending", external_ref: reply }]);
  });

  it("logs an SMS and its reply file under one correlationId, the sender masked", async () => {
    const { logger, lines } = captureLog("sms-gateway-test");
    await start({}, { logger });
    await dropIncoming(spool, "GSM1.corr01", { from: reporterLocal, text: "?" });
    const [reply] = await waitFor(async () => {
      const files = await messageFiles(spool.outgoing);
      return files.length > 0 && files;
    });
    const [message] = await inbound("sms-file:GSM1.corr01:%");
    const handled = await waitFor(() => lines.find((line) => line.msg === "sms handled"));
    expect(handled).toMatchObject({ correlationId: `inbound:${message?.id}`, sender: "62811*****007" });
    const written = await waitFor(() => lines.find((line) => line.msg === "outgoing sms file written"));
    expect(written).toMatchObject({ correlationId: `inbound:${message?.id}`, file: reply });
    expect(JSON.stringify(lines)).not.toContain(reporter.phone);
  });

  it("says a training gateway's replies are training (TRAINING_SYSTEM_TAG)", async () => {
    await start({ ISIKHNAS_ENV: "training" });
    await dropIncoming(spool, "GSM1.train1", { from: reporter.phone, text: "?" });
    const [reply] = await waitFor(async () => {
      const files = await messageFiles(spool.outgoing);
      return files.length > 0 && files;
    });
    expect(decode(await readOutgoing(spool, reply!)).text).toMatch(/^\[iSIKHNAS TRAINING\] /);
  });

  it("answers in UCS2 when the reply is not GSM-7, and reads a UCS2 message", async () => {
    await start({ SYSTEM_TAG: "【iSIKHNAS】" });
    await dropIncoming(spool, "GSM1.ucs2me", { from: reporter.phone, text: "KODE 🐄", alphabet: "UCS2" });
    const [reply] = await waitFor(async () => {
      const files = await messageFiles(spool.outgoing);
      return files.length > 0 && files;
    });
    const file = decode(await readOutgoing(spool, reply!));
    expect(file.alphabet).toBe("UCS2");
    expect(file.text).toMatch(/^【iSIKHNAS】 /);
    expect((await inbound("sms-file:GSM1.ucs2me:%"))[0]?.text).toBe("KODE 🐄");
  });

  it("joins a multipart message whose parts arrive out of order", async () => {
    await start();
    const texts = ["U mc,dm sp 4 ", "72060202 ", "coc,sal"];
    for (const part of [3, 1, 2]) {
      await dropIncoming(spool, `GSM1.part${part}`, {
        from: reporter.phone,
        text: texts[part - 1]!,
        udh: `05 00 03 2A 03 0${part}`,
      });
    }
    const [message] = await waitFor(async () => {
      const rows = await inbound("sms-parts:%");
      return rows.length > 0 && rows;
    });
    expect(message!.text).toBe("U mc,dm sp 4 72060202 coc,sal");
    expect(message!.external_id).not.toMatch(/partial/);
    await waitFor(async () => (await readdir(spool.parts)).length === 0, {
      description: "the group removed",
    });
    expect(await messageFiles(spool.incoming)).toEqual([]);
    expect(await inbound("sms-parts:%")).toHaveLength(1);
  });

  it("joins UCS2 parts with a 16-bit reference", async () => {
    await start();
    await dropFixture(spool, "ucs2-part2of2.sms", "GSM1.u2");
    await dropFixture(spool, "ucs2-part1of2.sms", "GSM1.u1");
    const [message] = await waitFor(async () => {
      const rows = await inbound("sms-parts:%");
      return rows.length > 0 && rows;
    });
    expect(message!.text).toBe("Laporan: sapi sakit di desa 🐄 ".repeat(4));
  });

  it("hands over a message with a missing part once the bounded wait has passed", async () => {
    await start({ SMS_CONCAT_WAIT_MS: "300" });
    await dropIncoming(spool, "GSM1.p1", {
      from: reporter.phone,
      text: "U mc,dm sp 4 ",
      udh: "05 00 03 07 03 01",
    });
    await dropIncoming(spool, "GSM1.p3", { from: reporter.phone, text: "coc,sal", udh: "05 00 03 07 03 03" });
    const [message] = await waitFor(
      async () => {
        const rows = await inbound("sms-parts:%");
        return rows.length > 0 && rows;
      },
      { description: "the partial message" },
    );
    expect(message!.text).toBe(`U mc,dm sp 4 ${MISSING_PART_MARK}coc,sal`);
    expect(message!.external_id).toMatch(/:partial$/);
    // The sender still gets exactly one reply.
    await waitFor(async () => (await messageFiles(spool.outgoing)).length === 1);
    expect(await readdir(spool.parts)).toEqual([]);
  });

  it("quarantines unreadable files with a reason, and reads a file with an unknown header", async () => {
    await start();
    await dropFixture(spool, "truncated.sms", "GSM1.trunc1");
    await dropFixture(spool, "truncated-headers.sms", "GSM1.trunc2");
    await dropFixture(spool, "unknown-header.sms", "GSM1.unknown");

    await waitFor(async () => (await messageFiles(spool.quarantine)).length === 4, {
      description: "quarantine",
    });
    expect(await messageFiles(spool.quarantine)).toEqual([
      "GSM1.trunc1",
      "GSM1.trunc1.reason",
      "GSM1.trunc2",
      "GSM1.trunc2.reason",
    ]);
    expect(await readFile(join(spool.quarantine, "GSM1.trunc1.reason"), "utf8")).toMatch(/^truncated/);
    // The quarantined file is kept byte for byte.
    expect(await readFile(join(spool.quarantine, "GSM1.trunc2"))).toEqual(
      await readFile(new URL("./spool/fixtures/truncated-headers.sms", import.meta.url)),
    );
    await waitFor(async () => (await inbound("sms-file:GSM1.unknown:%")).length === 1);
    await waitFor(async () => (await messageFiles(spool.incoming)).length === 0);
    expect(await inbound("sms-file:GSM1.trunc%")).toEqual([]);
  });

  it("handles a crash between commit and file removal as one message with one reply", async () => {
    // The first gateway's engine commits, then the process "dies" before the unlink.
    let committed = 0;
    const crashing = await start(
      { SMS_MAX_HANDLER_FAILURES: "1000" },
      {
        submit: async (message) => {
          await handleInboundMessage(db, message);
          committed += 1;
          throw new Error("killed after commit");
        },
      },
    );
    await dropIncoming(spool, "GSM1.crash1", { from: reporter.phone, text: "?" });
    await waitFor(() => committed > 0, { description: "the first commit" });
    await crashing.stop();
    expect(await messageFiles(spool.incoming)).toEqual(["GSM1.crash1"]);

    await start();
    await waitFor(async () => (await messageFiles(spool.incoming)).length === 0, {
      description: "the file handled",
    });
    await waitFor(async () => (await messageFiles(spool.outgoing)).length > 0, { description: "the reply" });

    const messages = await inbound("sms-file:GSM1.crash1:%");
    expect(messages).toHaveLength(1);
    const { rows } = await db.query("SELECT id FROM outbound_messages WHERE inbound_message_id = $1", [
      messages[0]!.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(await messageFiles(spool.outgoing)).toHaveLength(1);
  });

  it("quarantines a file that keeps failing while the database answers, counting its tries across rescans", async () => {
    let tries = 0;
    await start(
      { SMS_MAX_HANDLER_FAILURES: "3", SMS_RESCAN_INTERVAL_MS: "50" },
      {
        submit: async () => {
          tries += 1;
          throw new Error("engine bug");
        },
      },
    );
    await dropIncoming(spool, "GSM1.bug1", { from: reporter.phone, text: "?" });
    // The reason file shows up (created) a moment before its text is written.
    const reason = await waitFor(
      async () => {
        const files = await messageFiles(spool.quarantine);
        if (files.length !== 2) return false;
        return (await readFile(join(spool.quarantine, "GSM1.bug1.reason"), "utf8")) || false;
      },
      { description: "the file quarantined with its reason" },
    );
    expect(reason).toMatch(/^not handled after 3 attempts: engine bug/);
    expect(tries).toBe(3);
    expect(await messageFiles(spool.incoming)).toEqual([]);
  });

  it("handles a backlog of 10,000 files at start-up, each exactly once", { timeout: 300_000 }, async () => {
    const senders = Object.values(DEMO_USERS).map((user) => user.phone);
    const total = 10_000;
    const names = Array.from({ length: total }, (_, n) => `GSM1.b${String(n).padStart(5, "0")}`);
    dropBacklog(spool, names, (n) => ({ from: senders[n % senders.length]!, text: n % 2 ? "?" : "KODE" }));
    // The production poll interval, so that replies are claimed in batches as in a real backlog.
    const app = await start({
      SMS_INCOMING_CONCURRENCY: "8",
      DB_POOL_MAX: "12",
      SMS_SEND_BATCH: "200",
      SMS_POLL_INTERVAL_MS: "1000",
    });
    await app.incomingIdle();
    await waitFor(async () => (await messageFiles(spool.incoming)).length === 0, { timeoutMs: 240_000 });

    const { rows } = await db.query<{ messages: number; files: number }>(
      `SELECT count(*)::int AS messages, count(DISTINCT split_part(external_id, ':', 2))::int AS files
         FROM inbound_messages WHERE external_id LIKE 'sms-file:GSM1.b%'`,
    );
    expect(rows[0]).toEqual({ messages: total, files: total });
    const replies = await db.query<{ replies: number }>(
      `SELECT count(*)::int AS replies FROM outbound_messages o JOIN inbound_messages i ON i.id = o.inbound_message_id
        WHERE i.external_id LIKE 'sms-file:GSM1.b%' AND o.kind IN ('reply', 'notice')`,
    );
    expect(replies.rows[0]!.replies).toBe(total);
    await waitFor(async () => (await messageFiles(spool.outgoing)).length === total, {
      timeoutMs: 120_000,
      description: "every reply file",
    });
  });
});

describe("smsd verdicts in watch mode", () => {
  it("marks the reply sent when smsd moves its file to sent/, and requeues it from failed/", async () => {
    await start({ SMS_MAX_ATTEMPTS: "3" });
    await dropIncoming(spool, "GSM1.v1", { from: reporter.phone, text: "?" });
    const [first] = await waitFor(async () => {
      const files = await messageFiles(spool.outgoing);
      return files.length > 0 && files;
    });
    // smsd could not send it: the file moves to failed/ with its reason.
    const content = await readOutgoing(spool, first!);
    await rename(join(spool.outgoing, first!), join(spool.failed, first!));
    const retry = await waitFor(async () => {
      const files = await messageFiles(spool.outgoing);
      return files.length > 0 && files[0];
    });
    expect(retry).not.toBe(first);
    expect(await readOutgoing(spool, retry)).toEqual(content);

    await rename(join(spool.outgoing, retry), join(spool.sent, retry));
    await waitFor(async () => {
      const { rows } = await db.query("SELECT status FROM outbound_messages WHERE external_ref = $1", [
        retry,
      ]);
      return rows[0]?.status === "sent";
    });
  });

  it("writes at start-up a claimed row whose file never reached the spool", async () => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO outbound_messages (channel, address, body, kind, status, attempts, external_ref)
       VALUES ('sms', $1, 'lost on the way', 'alert', 'sending', 1, 'sms-999-1-abcdef') RETURNING id`,
      [reporter.phone],
    );
    await start();
    expect(await messageFiles(spool.outgoing)).toEqual(["sms-999-1-abcdef"]);
    expect(decode(await readOutgoing(spool, "sms-999-1-abcdef")).text).toBe("lost on the way");
    expect(rows).toHaveLength(1);
  });

  it("answers readiness on its health port", async () => {
    const app = await start();
    const response = await fetch(`http://127.0.0.1:${app.healthPort}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, checks: { database: true, spool: true } });
  });
});
