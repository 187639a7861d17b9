import { spawn } from "node:child_process";
import { rename, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIncomingDeps } from "./app.js";
import { handleSmsdEvent } from "./event-handler.js";
import { OutgoingSender } from "./outgoing-sender.js";
import { dropIncoming, gateway, logger } from "./testing/gateway.js";
import { messageFiles, tempSpool, testConfig } from "./testing/spool.js";

const reporter = DEMO_USERS.village_reporter;
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

let stack: TestStack;
let db: Database;
let spool: Awaited<ReturnType<typeof tempSpool>>;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase({ statementTimeoutMs: 30_000 });
  await seedReferenceData(db);
  await seedDemoData(db);
});

afterAll(async () => {
  await stack?.close();
});

afterEach(async () => {
  await spool?.remove();
});

beforeEach(async () => {
  spool = await tempSpool();
});

function eventDeps() {
  const config = testConfig(stack.env, spool.root, { SMS_INPUT_MODE: "event", SMS_MAX_ATTEMPTS: "2" });
  return { db, incoming: createIncomingDeps({ config, db, logger }), maxAttempts: 2 };
}

async function replyTo(inboundExternalId: string) {
  const { rows } = await db.query<{
    id: number;
    status: string;
    external_ref: string | null;
    last_error: string | null;
  }>(
    `SELECT o.id, o.status, o.external_ref, o.last_error FROM outbound_messages o
       JOIN inbound_messages i ON i.id = o.inbound_message_id WHERE i.external_id LIKE $1`,
    [inboundExternalId],
  );
  return rows;
}

/** Runs the built entry point's source as smsd would run the event handler. */
function runEventCommand(args: string[]): Promise<{ code: number | null; output: string }> {
  const config = { ...stack.env, SMS_SPOOL_DIR: spool.root, SMS_INPUT_MODE: "event", LOG_LEVEL: "info" };
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "apps/sms-gateway/src/main.ts", "event", ...args],
      { cwd: repoRoot, env: { ...process.env, ...config }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("smsd event handler", () => {
  it("RECEIVED stores the message and removes the file; the same event again changes nothing", async () => {
    const deps = eventDeps();
    const path = await dropIncoming(spool, "GSM1.ev1", { from: reporter.phone, text: "?" });
    const first = await handleSmsdEvent(deps, ["RECEIVED", path]);
    expect(first).toMatchObject({ event: "RECEIVED", result: { outcome: "delivered", duplicate: false } });
    expect(await messageFiles(spool.incoming)).toEqual([]);
    expect(await handleSmsdEvent(deps, ["RECEIVED", path])).toEqual({
      event: "RECEIVED",
      result: { outcome: "gone" },
    });
    expect(await replyTo("sms-file:GSM1.ev1:%")).toHaveLength(1);
  });

  it("SENT marks the row sent; FAILED requeues it with smsd's reason, then fails it", async () => {
    const deps = eventDeps();
    await handleSmsdEvent(deps, [
      "RECEIVED",
      await dropIncoming(spool, "GSM1.ev2", { from: reporter.phone, text: "?" }),
    ]);
    const sender = new OutgoingSender(
      { db, logger, denyReason: () => undefined },
      {
        outgoingDir: spool.outgoing,
        batchSize: 10,
        pollIntervalMs: 50,
        retryBackoffMs: 0,
        rateLimitCount: 0,
        rateLimitWindowMs: 1000,
      },
    );
    await sender.sendBatch();
    const [claimed] = await replyTo("sms-file:GSM1.ev2:%");
    const name = claimed!.external_ref!;

    // smsd moves the file to failed/ with its reason and calls the handler.
    await rename(join(spool.outgoing, name), join(spool.failed, name));
    await writeFile(join(spool.failed, name), `To: ${reporter.phone}\nFail_reason: Modem timeout\n\n?`);
    expect(await handleSmsdEvent(deps, ["FAILED", join(spool.failed, name)])).toEqual({
      event: "FAILED",
      result: "requeued",
    });
    expect((await replyTo("sms-file:GSM1.ev2:%"))[0]).toMatchObject({
      status: "queued",
      last_error: "Modem timeout",
    });

    await sender.sendBatch();
    const retry = (await replyTo("sms-file:GSM1.ev2:%"))[0]!.external_ref!;
    await rename(join(spool.outgoing, retry), join(spool.sent, retry));
    expect(await handleSmsdEvent(deps, ["SENT", join(spool.sent, retry), "117"])).toEqual({
      event: "SENT",
      result: "sent",
    });
    expect((await replyTo("sms-file:GSM1.ev2:%"))[0]).toMatchObject({ status: "sent" });
  });

  it("runs as smsd's eventhandler command and exits 0, or 1 with a log line when it cannot", async () => {
    const path = await dropIncoming(spool, "GSM1.cli", { from: reporter.phone, text: "?" });
    const ok = await runEventCommand(["RECEIVED", path]);
    expect(ok.code, ok.output).toBe(0);
    expect(await messageFiles(spool.incoming)).toEqual([]);
    expect(await replyTo("sms-file:GSM1.cli:%")).toHaveLength(1);

    const bad = await runEventCommand(["EXPLODED", path]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/unknown smsd event/);
  });

  it("in event mode, the daemon picks up files the event handler left behind", async () => {
    const app = gateway(stack, spool, { SMS_INPUT_MODE: "event", SMS_EVENT_GRACE_MS: "60000" });
    const path = await dropIncoming(spool, "GSM1.left", { from: reporter.phone, text: "?" });
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path, anHourAgo, anHourAgo);
    await app.start();
    try {
      await waitFor(async () => (await messageFiles(spool.incoming)).length === 0, {
        description: "the left file",
      });
      expect(await replyTo("sms-file:GSM1.left:%")).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });
});
