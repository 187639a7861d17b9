// report-generator against a real hot standby fed by streaming replication: a run waits
// while replay is paused and is built from the rows the primary committed before it was
// asked for once replay resumes; a query that replay cancels raises the error the
// handler treats as "later" (isRecoveryConflict), not the one it dead-letters.
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import {
  createTestStack,
  type ReplicatedPostgres,
  startReplicatedPostgres,
  type TestStack,
  waitFor,
} from "@isikhnas/devstack/testing";
import { DEMO_USERS, handleInboundMessage, listRuns, migrationsDir } from "@isikhnas/domain";
import {
  createDatabase,
  createLogger,
  createProducer,
  type Database,
  listDeadLetters,
  migrate,
  physicalBucketName,
  queueStats,
} from "@isikhnas/platform";
import { openReportSource } from "@isikhnas/reporting/build";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type GeneratorDaemon } from "./app.js";
import { loadConfig } from "./config.js";
import { isRecoveryConflict } from "./replica.js";
import { NOVEMBER, seedReportDataset } from "./testing/dataset.js";

describe("report-generator on a streaming replica", () => {
  let servers: ReplicatedPostgres;
  let stack: TestStack;
  let urls: { primary: string; standby: string };
  let db: Database;
  let generator: GeneratorDaemon | undefined;

  beforeAll(async () => {
    servers = await startReplicatedPostgres({
      // Nothing vacuums behind the test's back, and a conflicting query is cancelled at once.
      primarySettings: { autovacuum: "off" },
      standbySettings: { max_standby_streaming_delay: "0", hot_standby_feedback: "off" },
    });
    const name = `reports_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: servers.primaryAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    urls = servers.urlsFor(name);
    await migrate({ databaseUrl: urls.primary, dir: migrationsDir });
    db = createDatabase({
      DATABASE_URL: urls.primary,
      DATABASE_READ_URL: urls.standby,
      DB_POOL_MAX: 4,
      DB_STATEMENT_TIMEOUT_MS: 60_000,
    });
    await seedReportDataset(db);
    await servers.caughtUp();
    stack = await createTestStack({ database: false });
    await stack.provision({ visibilityTimeoutSeconds: 10 });
  });
  afterAll(async () => {
    await generator?.stop();
    await db?.close();
    await stack?.close();
    await servers?.stop();
  });

  it("defers a run while replay is paused, then builds it with the rows committed before the request", async () => {
    await servers.pauseReplay();
    // A case committed on the primary after replay stopped: the standby cannot see it yet.
    const reported = await handleInboundMessage(db, {
      channel: "sms",
      sender: DEMO_USERS.village_reporter.phone,
      text: "U mc sp 3",
      receivedAt: new Date(NOVEMBER.start.getTime() + 14 * 86_400_000),
      externalId: "replica-test-1",
      environment: "live",
    });
    expect(reported.reply?.body).toMatch(/\d{3,}/);
    const onStandby = await db.replica.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM cases c JOIN locations l ON l.id = c.location_id WHERE l.code LIKE '7206%' AND reported_at >= $1 AND reported_at < $2",
      [NOVEMBER.start, NOVEMBER.end],
    );
    const onPrimary = await db.primary.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM cases c JOIN locations l ON l.id = c.location_id WHERE l.code LIKE '7206%' AND reported_at >= $1 AND reported_at < $2",
      [NOVEMBER.start, NOVEMBER.end],
    );
    expect(onPrimary.rows[0]?.n).toBe((onStandby.rows[0]?.n ?? 0) + 1);

    const config = loadConfig({
      ...stack.env,
      DATABASE_URL: urls.primary,
      DATABASE_READ_URL: urls.standby,
      REPORT_TICK_SECONDS: "0",
      REPORT_REPLICA_RETRY_SECONDS: "1",
      REPORTREQUEST_VISIBILITY_SECONDS: "10",
    });
    generator = createApp({
      config,
      logger: createLogger({ name: "replica-test", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      sqs: stack.sqs,
      s3: stack.s3,
      databases: { live: createDatabase(config) },
    });
    await generator.start();
    await createProducer({ sqs: stack.sqs }, { prefix: stack.prefix }).send("reportrequest", {
      type: "reportrequest",
      version: 1,
      id: "operator:district-case-summary:2026-11:7206",
      environment: "live",
      report: "district-case-summary",
      parameters: { scope: "7206", period: "2026-11" },
      recipients: ["ops@example.org"],
    });
    const run = async () =>
      (await listRuns(db, { limit: 10 })).find((r) => r.reportCode === "district-case-summary");
    await waitFor(async () => (await run())?.errorReason?.startsWith("replica behind") === true, {
      description: "the run deferred while replay is paused",
      timeoutMs: 30_000,
    });
    expect((await queueStats(stack.sqs, stack.prefix, ["emailoutput"]))[0]?.depth).toBe(0);

    await servers.resumeReplay();
    await waitFor(async () => (await run())?.status === "sent", {
      description: "the run sent once the standby replayed past its request",
      timeoutMs: 60_000,
    });
    const sent = await run();
    expect(sent?.attempts).toBe(1);
    const bodyKey = sent?.artefacts[0]?.body.key as string;
    const object = await stack.s3.send(
      new GetObjectCommand({ Bucket: physicalBucketName(stack.prefix, "reports"), Key: bodyKey }),
    );
    const body = JSON.parse(await text(object.Body as Readable)) as { text: string };
    expect(body.text).toContain(`Kasus: ${onPrimary.rows[0]?.n}`);
    expect(await listDeadLetters(stack.sqs, stack.prefix, "reportrequest")).toHaveLength(0);
  });

  it("sees a report query that replay cancels as a recovery conflict", async () => {
    await db.primary.query("CREATE TABLE conflict_probe (id int)");
    await db.primary.query("INSERT INTO conflict_probe SELECT generate_series(1, 1000)");
    await servers.caughtUp();
    const source = await openReportSource(db);
    try {
      expect((await source.query("SELECT count(*)::int AS n FROM conflict_probe", [])).rows[0]).toEqual({
        n: 1000,
      });
      // A long report query on the standby, holding the snapshot that still sees the rows…
      const long = source.query("SELECT pg_sleep(30), count(*) FROM conflict_probe", []);
      const failed = long.then(
        () => undefined,
        (error: unknown) => error,
      );
      await waitFor(
        async () =>
          ((
            await db.replica.query(
              "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'",
            )
          ).rowCount ?? 0) > 0,
        { description: "the long query running on the standby" },
      );
      // …while the primary deletes and vacuums them away: replaying that cleanup conflicts.
      await db.primary.query("DELETE FROM conflict_probe");
      await db.primary.query("VACUUM conflict_probe");
      const error = await failed;
      expect(error).toBeInstanceOf(Error);
      expect((error as { code?: string }).code).toBe("40001");
      expect(isRecoveryConflict(error)).toBe(true);
    } finally {
      await source.close();
    }
  });
});
