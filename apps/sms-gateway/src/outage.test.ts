import { Writable } from "node:stream";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS, handleInboundMessage, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { createDatabase, createLogger, type Database } from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import type { SmsGateway } from "./app.js";
import { isDatabaseUnavailable } from "./database-outage.js";
import { dropBacklog, gateway } from "./testing/gateway.js";
import { type OutageProxy, startOutageProxy } from "./testing/outage-proxy.js";
import { messageFiles, tempSpool, testConfig } from "./testing/spool.js";

const reporter = DEMO_USERS.village_reporter;

let stack: TestStack;
let db: Database;
let spool: Awaited<ReturnType<typeof tempSpool>>;
let proxy: OutageProxy;
const running: SmsGateway[] = [];

beforeEach(async () => {
  stack = await createTestStack();
  db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
  spool = await tempSpool();
  proxy = await startOutageProxy(stack.env.DATABASE_URL!);
});

afterEach(async () => {
  await proxy.up();
  for (const app of running.splice(0)) await app.stop();
  await proxy.down();
  await stack.close();
  await spool.remove();
});

function behindProxy() {
  // Rescans retry the files that failed while the database was away.
  const app = gateway(stack, spool, { DATABASE_URL: proxy.url, SMS_RESCAN_INTERVAL_MS: "100" });
  running.push(app);
  return app;
}

function backlog(prefix: string, count: number): string[] {
  const names = Array.from(
    { length: count },
    (_, index) => `GSM1.${prefix}${String(index).padStart(3, "0")}`,
  );
  dropBacklog(spool, names, () => ({ from: reporter.phone, text: "?" }));
  return names;
}

async function readiness(app: SmsGateway): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${app.healthPort}/readyz`);
  await response.body?.cancel();
  return response.status;
}

/** Inbound rows per file, with how many replies each got. */
async function handled(names: readonly string[]) {
  const { rows } = await db.query<{ external_id: string; replies: string }>(
    `SELECT m.external_id, (SELECT count(*) FROM outbound_messages o WHERE o.inbound_message_id = m.id) AS replies
       FROM inbound_messages m WHERE m.external_id LIKE 'sms-file:%' ORDER BY m.external_id`,
  );
  expect(rows.map((row) => row.external_id.split(":")[1])).toEqual([...names].sort());
  return rows.map((row) => Number(row.replies));
}

describe("the database going away", () => {
  it("starts while the database is down, reports not ready, and handles the backlog once it is back", async () => {
    await proxy.down();
    const names = backlog("s", 5);
    const app = behindProxy();
    let failed: unknown;
    const started = app.start().catch((error: unknown) => {
      failed = error;
    });
    await waitFor(() => app.healthPort !== undefined || failed !== undefined, {
      description: "the health port open",
    });
    expect(failed).toBeUndefined();
    expect(await readiness(app)).toBe(503);
    expect(await messageFiles(spool.incoming)).toEqual(names);

    await proxy.up();
    await started;
    expect(failed).toBeUndefined();
    await waitFor(async () => (await messageFiles(spool.incoming)).length === 0, {
      description: "the backlog handled",
    });
    expect(await handled(names)).toEqual(names.map(() => 1));
    expect(await readiness(app)).toBe(200);
  });

  it("keeps running through an outage in mid-work and handles every file exactly once", async () => {
    // What would make the daemon's lifecycle exit fatally.
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtExceptionMonitor", record);
    onTestFinished(() => {
      process.off("uncaughtExceptionMonitor", record);
    });
    const app = behindProxy();
    await app.start();
    const first = backlog("a", 30);
    await waitFor(async () => (await messageFiles(spool.incoming)).length < first.length, {
      description: "work under way",
    });
    await proxy.down();
    await waitFor(async () => (await readiness(app)) === 503, { description: "not ready while down" });
    const second = backlog("b", 5);

    await proxy.up();
    await waitFor(async () => (await messageFiles(spool.incoming)).length === 0, {
      description: "every file handled",
    });
    await app.incomingIdle();
    expect(await handled([...first, ...second])).toEqual([...first, ...second].map(() => 1));
    await waitFor(async () => (await readiness(app)) === 200, { description: "ready again" });
    expect(uncaught).toEqual([]);
  });

  it("logs an outage once and its end once, tries again with growing waits, and handles every file once", async () => {
    const lines: Array<{ level: string; msg: string; dir?: string }> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        callback();
      },
    });
    const config = testConfig(stack.env, spool.root, { DATABASE_URL: proxy.url });
    const proxied = createDatabase(config, "outage-test");
    onTestFinished(() => proxied.close());
    const tries: number[] = [];
    const app = gateway(
      stack,
      spool,
      { DATABASE_URL: proxy.url, SMS_RESCAN_INTERVAL_MS: "2000" },
      {
        logger: createLogger({ name: "outage-test", level: "info", destination }),
        submit: (message) => {
          tries.push(performance.now());
          return handleInboundMessage(proxied, message);
        },
      },
    );
    running.push(app);
    await app.start();
    await proxy.down();
    const names = backlog("o", 20);
    // Tries after the first ones (the files already under way when the outage began).
    const waits = () =>
      tries
        .slice(1)
        .map((at, index) => at - (tries[index] ?? at))
        .filter((gap) => gap > 100);
    await waitFor(() => waits().length >= 3, {
      description: "three tries during the outage",
      timeoutMs: 20_000,
    });
    const [first = 0, second = 0, third = 0] = waits();
    expect(second).toBeGreaterThan(first * 1.2);
    expect(third).toBeGreaterThan(second * 1.2);

    await proxy.up();
    await waitFor(async () => (await messageFiles(spool.incoming)).length === 0, {
      description: "every file handled",
      timeoutMs: 20_000,
    });
    await app.incomingIdle();
    expect(await handled(names)).toEqual(names.map(() => 1));
    const about = (pattern: RegExp) =>
      lines.filter((line) => line.dir === spool.incoming && pattern.test(line.msg)).length;
    expect(about(/paused: database unavailable/)).toBe(1);
    expect(about(/resumed/)).toBe(1);
    expect(lines.filter((line) => line.msg === "spool file not handled; will try again")).toEqual([]);
  });

  it("never quarantines a file for the database being away, even once it answers again", async () => {
    // The first statements after a restart can fail on connections the server dropped
    // (57P01) while a fresh ping already answers.
    let tries = 0;
    const app = gateway(
      stack,
      spool,
      { SMS_MAX_HANDLER_FAILURES: "2", SMS_RESCAN_INTERVAL_MS: "50" },
      {
        submit: async (message) => {
          tries += 1;
          if (tries <= 4) {
            throw Object.assign(new Error("terminating connection due to administrator command"), {
              code: "57P01",
            });
          }
          return handleInboundMessage(db, message);
        },
      },
    );
    running.push(app);
    await app.start();
    const names = backlog("r", 1);
    await waitFor(async () => (await messageFiles(spool.incoming)).length === 0, {
      description: "the file handled",
    });
    expect(tries).toBe(5);
    expect(await messageFiles(spool.quarantine)).toEqual([]);
    expect(await handled(names)).toEqual([1]);
  });

  it("still fails to start when the database does not exist: waiting would not help", async () => {
    const url = new URL(proxy.url);
    url.pathname = "/no_such_database";
    const app = gateway(stack, spool, { DATABASE_URL: url.toString() });
    running.push(app);
    await expect(app.start()).rejects.toMatchObject({ code: "3D000" });
  });
});

describe("isDatabaseUnavailable", () => {
  it("tells a refused, cut or restarting server from errors that waiting would not fix", () => {
    const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });
    expect(isDatabaseUnavailable(coded("ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(coded("57P01"))).toBe(true);
    expect(isDatabaseUnavailable(coded("57P03"))).toBe(true);
    expect(isDatabaseUnavailable(coded("08006"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([coded("ECONNREFUSED")]))).toBe(true);
    expect(isDatabaseUnavailable(coded("28P01"))).toBe(false);
    expect(isDatabaseUnavailable(coded("3D000"))).toBe(false);
    expect(isDatabaseUnavailable(coded("42P01"))).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });
});
