// SMS end to end through the real smsd: a handset's message reaches a simulated GSM modem
// on a pseudo-terminal, smsd reads it off the SIM in PDU mode and writes its incoming
// file, the gateway answers through the command engine, and smsd sends the reply file
// back through the modem with AT+CMGS, where its PDU is decoded and read.
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { createLogger, type Database, type Env } from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gateway } from "../../apps/sms-gateway/src/testing/gateway.js";
import { tempSpool } from "../../apps/sms-gateway/src/testing/spool.js";
import { writeEventHandler } from "./modem/event-handler.js";
import type { SentPdu } from "./modem/gsm-modem.js";
import { joinParts } from "./modem/pdu.js";
import { type PtyModem, startPtyModem } from "./modem/pty-modem.js";
import { type Smsd, startSmsd } from "./modem/smsd.js";

/** Resolves whether a program is on the PATH and runs (`smsd -V`, `socat -V`). */
function available(program: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(program, ["-V"], { stdio: "ignore" });
    child.once("error", () => resolve(false));
    child.once("exit", (code) => resolve(code === 0));
  });
}

const missing = (
  await Promise.all(["smsd", "socat"].map(async (program) => ((await available(program)) ? [] : [program])))
).flat();
const needs = missing.length > 0 ? ` (skipped: needs ${missing.join(" and ")} on the PATH)` : "";

const reporter = DEMO_USERS.village_reporter;

/** The parts of one message the modem sent, once all of them are there. */
function wholeMessage(sent: readonly SentPdu[]): SentPdu[] | undefined {
  const [first] = sent;
  if (!first) return undefined;
  const parts = sent.filter((pdu) => pdu.part.reference === first.part.reference);
  return parts.length === first.part.parts ? parts : undefined;
}

// Each event-mode event starts a Node process of its own: seconds each on a busy machine.
const timeout = 120_000;

describe.skipIf(missing.length > 0)(
  `a handset, a simulated modem, smsd and the gateway${needs}`,
  { timeout },
  () => {
    let stack: TestStack;
    let db: Database;
    let pty: PtyModem;
    let smsd: Smsd;
    let spoolRoot: string;
    /** The gateway's log lines, shown when a step times out. */
    let gatewayLog: string[];
    /** Stops what each step started, the last started first, whatever failed on the way. */
    const cleanups: (() => Promise<void>)[] = [];

    beforeEach(async () => {
      stack = await createTestStack();
      cleanups.push(() => stack.close());
      db = stack.openDatabase({ poolMax: 2, statementTimeoutMs: 30_000 });
      await seedReferenceData(db);
      await seedDemoData(db);
    });

    afterEach(async () => {
      const failures: unknown[] = [];
      for (const cleanup of cleanups.splice(0).reverse()) {
        await cleanup().catch((error: unknown) => failures.push(error));
      }
      if (failures.length > 0) throw new AggregateError(failures, "cleanup failed");
    });

    /**
     * The spool, the modem on its pty, smsd on that modem, and the gateway on the spool; in
     * event mode smsd runs the gateway's `event` command for what it receives and sends.
     */
    async function startAll(overrides: Env = {}) {
      const spool = await tempSpool();
      cleanups.push(() => spool.remove());
      spoolRoot = spool.root;
      pty = await startPtyModem(join(spool.root, "modem"));
      cleanups.push(() => pty.close());
      const eventHandler =
        overrides.SMS_INPUT_MODE === "event"
          ? await writeEventHandler(spool.root, {
              ...stack.env,
              ...overrides,
              SMS_SPOOL_DIR: spool.root,
              LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
              PATH: process.env.PATH,
            })
          : undefined;
      smsd = await startSmsd(spool, pty.device, { eventHandler });
      cleanups.push(() => smsd.close());
      gatewayLog = [];
      const destination = new Writable({
        write(chunk, _encoding, done) {
          gatewayLog.push(String(chunk).trim());
          done();
        },
      });
      const logger = createLogger({ name: "sms-gateway", level: "debug", destination });
      // The production settle time (smsd writes its incoming files in place), and rescans
      // as the safety net production has, at a test's pace.
      const app = gateway(
        stack,
        spool,
        { SMS_SETTLE_MS: "1000", SMS_RESCAN_INTERVAL_MS: "5000", ...overrides },
        { logger },
      );
      cleanups.push(() => app.stop());
      await app.start();
      return spool;
    }

    async function replyFromModem(): Promise<SentPdu[]> {
      return waitFor(() => wholeMessage(pty.modem.sent), {
        timeoutMs: 45_000,
        intervalMs: 100,
        description: "the reply sent through the modem",
      }).catch(async (error: unknown) => {
        throw new Error(
          [
            "no reply through the modem",
            `AT commands: ${pty.modem.commands.join(" | ")}`,
            `rejected PDUs: ${pty.modem.rejected.join(" ") || "none"}`,
            await diagnostics(),
          ].join("\n"),
          { cause: error },
        );
      });
    }

    /**
     * Where a message stopped: the spool's folders, the rows, the gateway's log and smsd's
     * log without the modem's polling (which fills it every second).
     */
    async function diagnostics(): Promise<string> {
      const folders = await Promise.all(
        ["incoming", "outgoing", "checked", "sent", "failed", "quarantine"].map(
          async (folder) =>
            `${folder}/: ${(await readdir(join(spoolRoot, folder)).catch(() => [])).join(" ") || "-"}`,
        ),
      );
      const rows = await db
        .query(
          `SELECT 'in' AS kind, id, sender AS address, text AS body, NULL AS status FROM inbound_messages
           UNION ALL SELECT 'out', id, address, body, status FROM outbound_messages ORDER BY kind, id`,
        )
        .then(({ rows }) => rows.map((row) => JSON.stringify(row)))
        .catch((error: unknown) => [`rows not read: ${String(error)}`]);
      const polling =
        /Checking device|Checking if modem|Pre-initializing|-> AT|Command is sent|<- (OK|\+C)|Signal Strength|registered to the network|Selecting PDU|Checking memory|Used memory|No SMS received/;
      const smsdLines = (await smsd.log()).split("\n").filter((line) => !polling.test(line));
      return [
        ...folders,
        "rows:",
        ...rows,
        "gateway log:",
        ...gatewayLog.slice(-60),
        "smsd log (without polling):",
        ...smsdLines.slice(-80),
      ].join("\n");
    }

    /** The sender's messages and the replies to them, once every reply is marked sent. */
    function conversationSent(sender: string, timeoutMs: number, description: string) {
      return waitFor(
        async () => {
          const { rows } = await db.query<{
            text: string;
            external_id: string;
            body: string;
            status: string;
          }>(
            `SELECT i.text, i.external_id, o.body, o.status
             FROM inbound_messages i JOIN outbound_messages o ON o.inbound_message_id = i.id
            WHERE i.sender = $1 ORDER BY i.id, o.id`,
            [sender],
          );
          return rows.length > 0 && rows.every((row) => row.status === "sent") && rows;
        },
        { timeoutMs, description },
      );
    }

    it("receives a GSM-7 message through smsd and sends the reply back through the modem", async () => {
      await startAll();
      pty.modem.receive(reporter.phone, "?");

      const reply = await replyFromModem();
      const text = joinParts(reply.map((pdu) => pdu.part));
      expect(reply[0]?.part).toMatchObject({ to: reporter.phone, numberType: 145, unicode: false });
      expect(text).toMatch(/^\[iSIKHNAS\] /);

      // One message in (smsd's file, read once), one reply out, and smsd's verdict recorded.
      const rows = await conversationSent(reporter.phone, 30_000, "the reply marked sent");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ text: "?", body: text });
      expect(rows[0]?.external_id).toMatch(/^sms-file:GSM1\./);
      expect(pty.modem.stored).toBe(0);
    });

    it("reads a two-part UCS2 message smsd joins, and answers in UCS2 parts smsd splits", async () => {
      await startAll({ SYSTEM_TAG: "【iSIKHNAS】" });
      const long = `KODE ${"sapi🐄sakit🐄".repeat(8)}`;
      expect(pty.modem.receive(reporter.phone, long)).toHaveLength(2);

      const reply = await replyFromModem();
      const text = joinParts(reply.map((pdu) => pdu.part));
      for (const pdu of reply) expect(pdu.part).toMatchObject({ to: reporter.phone, unicode: true });
      expect(text).toMatch(/^【iSIKHNAS】 /);

      const rows = await conversationSent(reporter.phone, 30_000, "the reply marked sent");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ text: long, body: text });
      // smsd joined the parts itself (internal_combine): one file, not the gateway's parts.
      expect(rows[0]?.external_id).toMatch(/^sms-file:GSM1\./);
      expect(pty.modem.stored).toBe(0);
    });

    it("in event mode, smsd's eventhandler brings the message in and records the reply sent", async () => {
      await startAll({ SMS_INPUT_MODE: "event" });
      pty.modem.receive(reporter.phone, "?");

      const reply = await replyFromModem();
      const text = joinParts(reply.map((pdu) => pdu.part));
      expect(reply[0]?.part).toMatchObject({ to: reporter.phone, unicode: false });
      // Only the SENT event can mark it: the daemon watches neither incoming nor sent/ here.
      const rows = await conversationSent(reporter.phone, 60_000, "the reply marked sent by the SENT event");
      // smsd ran the handler for RECEIVED and SENT, and each run ended well (exit status 0).
      const statuses = await waitFor(
        async () => {
          const done = [...(await smsd.log()).matchAll(/Done: eventhandler, .*status: (\d+)/g)];
          return done.length >= 2 && done.map((match) => Number(match[1]));
        },
        { timeoutMs: 60_000, description: "both eventhandler runs to end" },
      );
      expect(statuses).toEqual([0, 0]);
      expect(await smsd.log()).toMatch(/Running eventhandler: \S+ RECEIVED \S+incoming\/GSM1\./);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ text: "?", body: text });
      expect(rows[0]?.external_id).toMatch(/^sms-file:GSM1\./);
    });
  },
);
