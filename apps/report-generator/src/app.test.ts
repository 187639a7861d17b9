// report-generator as daemons on the emulators and a real database: the schedule's runs
// are created once however many hosts tick, built and sent once however many consume,
// finished by another host when one dies holding a built run, deferred (not
// dead-lettered) while the replica lags or a query meets a recovery conflict, and the lab
// client report reaches the submitter with its PDF through email-sender.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageInputOf } from "@isikhnas/contracts";
import { createTestStack, type TestStack, waitFor, waitForQueueDrained } from "@isikhnas/devstack/testing";
import { DEMO_USERS, handleInboundMessage, listRuns } from "@isikhnas/domain";
import {
  createBuckets,
  createDatabase,
  createDatabases,
  createLogger,
  createProducer,
  type Database,
  type Env,
  listDeadLetters,
  type QueueProducer,
} from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp, type GeneratorDaemon } from "./app.js";
import { loadConfig } from "./config.js";
import { tick } from "./schedule.js";
import { seedReportDataset } from "./testing/dataset.js";

/** The morning of 1 December 2026, WITA: November's monthly reports are due. */
const DECEMBER_FIRST = new Date("2026-12-01T08:00:00+08:00");

describe("report-generator", () => {
  let stack: TestStack;
  let db: Database;
  const running: GeneratorDaemon[] = [];

  beforeEach(async () => {
    stack = await createTestStack();
    await stack.provision({ visibilityTimeoutSeconds: 5 });
    db = stack.openDatabase();
    await seedReportDataset(db);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
    await stack.close();
  });

  function configOf(overrides: Env = {}) {
    return loadConfig({
      ...stack.env,
      REPORT_TICK_SECONDS: "0",
      REPORT_LEASE_SECONDS: "5",
      REPORT_REPLICA_RETRY_SECONDS: "1",
      REPORTREQUEST_VISIBILITY_SECONDS: "10",
      REPORT_BACKFILL_DAYS: "3",
      ...overrides,
    });
  }

  async function startGenerator(
    options: {
      overrides?: Env;
      producer?: Pick<QueueProducer, "send" | "sendBatch">;
      database?: Database;
    } = {},
  ) {
    const config = configOf(options.overrides);
    const app = createApp({
      config,
      logger: createLogger({ name: "report-generator-test", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      sqs: stack.sqs,
      s3: stack.s3,
      databases: { live: options.database ?? createDatabase(config) },
      clock: () => DECEMBER_FIRST,
      ...(options.producer ? { producer: options.producer } : {}),
    });
    await app.start();
    running.push(app);
    return app;
  }

  /** Runs one tick as `report-generator tick` would, on its own database pool. */
  async function tickOnce() {
    const config = configOf();
    // The shape main.ts passes: createDatabases, whose value also has close().
    const own = createDatabases(config);
    try {
      return await tick(
        {
          databases: own,
          producer: createProducer({ sqs: stack.sqs }, { prefix: stack.prefix }),
          logger: createLogger({ name: "tick-test", level: "silent" }),
          clock: () => DECEMBER_FIRST,
        },
        { backfillDays: config.REPORT_BACKFILL_DAYS, requeueSeconds: config.REPORT_REQUEUE_SECONDS },
      );
    } finally {
      await own.close();
    }
  }

  async function runsOf(report: string) {
    return (await listRuns(db, { limit: 500 })).filter((run) => run.reportCode === report);
  }

  const coordinator = DEMO_USERS.district_coordinator.email;
  const provincial = DEMO_USERS.provincial_coordinator.email;

  it("creates each due run once when two hosts tick at once, and two generators send each once", async () => {
    const [first, second] = await Promise.all([tickOnce(), tickOnce()]);
    const summaries = await runsOf("district-case-summary");
    // November for every WITA district of the demo data: 7201, 7206, 7308, 7371.
    expect(summaries.map((run) => run.scope).sort()).toEqual(["7201", "7206", "7308", "7371"]);
    expect(summaries.every((run) => run.period === "2026-11" && run.generation === 1)).toBe(true);
    const all = await listRuns(db, { limit: 500 });
    expect((first?.created ?? 0) + (second?.created ?? 0)).toBe(all.length);
    // Ticking again creates nothing new.
    expect((await tickOnce()).created).toBe(0);

    await startGenerator({ overrides: { REPORT_HOST_ID: "host-a" } });
    await startGenerator({ overrides: { REPORT_HOST_ID: "host-b" } });
    await waitFor(
      async () =>
        (await listRuns(db, { limit: 500 })).every((run) => ["sent", "skipped"].includes(run.status)),
      { description: "every run finished", timeoutMs: 60_000 },
    );
    await waitForQueueDrained(stack, "reportrequest");
    // Morowali's summary went to its district and provincial coordinators; Banggai's (no
    // cases) to the provincial one, saying so; Bone and Makassar have no coordinator: skipped.
    const byScope = Object.fromEntries(
      (await runsOf("district-case-summary")).map((run) => [run.scope, run]),
    );
    expect(byScope["7206"]).toMatchObject({ status: "sent", recipientCount: 2 });
    expect(byScope["7201"]).toMatchObject({ status: "sent", recipientCount: 1 });
    expect(byScope["7308"]?.status).toBe("skipped");
    const outputs = await listDeadLetters(stack.sqs, stack.prefix, "reportrequest");
    expect(outputs).toHaveLength(0);
    // One emailoutput per sent run and language group, none twice (email-sender keeps one per id too).
    const sentRuns = (await listRuns(db, { limit: 500 })).filter((run) => run.status === "sent");
    const groups = sentRuns.reduce((sum, run) => sum + run.artefacts.length, 0);
    const asked = await waitForQueueMessages(stack, groups);
    expect(asked).toHaveLength(groups);
    expect(new Set(asked.map((message) => message.id)).size).toBe(groups);
    const morowali = asked.find((message) =>
      message.id.startsWith("report:live:district-case-summary:2026-11:7206:"),
    );
    expect(morowali?.attachments?.map((attachment) => attachment.filename)).toEqual([
      "chart-1.png",
      "ringkasan-kasus-kabupaten-7206-2026-11.pdf",
      "ringkasan-kasus-kabupaten-7206-2026-11.xlsx",
    ]);
  });

  it("asks for a scheduled run under one correlation id of the run's, first and when asked again, and mails it under the same", async () => {
    await tickOnce();
    const runs = await listRuns(db, { limit: 500 });
    const first = await takeRequests(stack, runs.length);
    expect(Object.keys(first).sort()).toEqual(runs.map((run) => String(run.id)).sort());
    for (const run of runs) expect(first[run.id]).toBe(`report-run:live:${run.id}`);
    // The requests are lost: the sweep asks for every run again, under the same ids.
    const sweep = () =>
      tick(
        {
          databases: { live: db },
          producer: createProducer({ sqs: stack.sqs }, { prefix: stack.prefix }),
          logger: createLogger({ name: "tick-test", level: "silent" }),
          clock: () => DECEMBER_FIRST,
        },
        { backfillDays: configOf().REPORT_BACKFILL_DAYS, requeueSeconds: 0 },
      );
    expect((await sweep()).requeued).toBe(runs.length);
    expect(await takeRequests(stack, runs.length)).toEqual(first);

    await sweep();
    await startGenerator();
    await waitFor(
      async () =>
        (await listRuns(db, { limit: 500 })).every((run) => ["sent", "skipped"].includes(run.status)),
      { description: "every run finished", timeoutMs: 60_000 },
    );
    const sent = (await listRuns(db, { limit: 500 })).filter((run) => run.status === "sent");
    const correlationIds: (string | undefined)[] = [];
    const mails = await waitForQueueMessages(
      stack,
      sent.reduce((sum, run) => sum + run.artefacts.length, 0),
      correlationIds,
    );
    expect(mails.length).toBeGreaterThan(0);
    mails.forEach((mail, index) => {
      const run = sent.find((candidate) =>
        mail.id.startsWith(`report:live:${candidate.reportCode}:${candidate.period}:${candidate.scope}:`),
      );
      expect(correlationIds[index]).toBe(`report-run:live:${run?.id}`);
    });
  });

  it("waits for a lagging replica and survives a recovery conflict, without dead-lettering", async () => {
    const real = createDatabase(configOf());
    let lagging = true;
    let conflicts = 1;
    let conflicted = 0;
    const replica = new Proxy(real.replica, {
      get(target, property, receiver) {
        if (property === "query") {
          return (text: string, values?: unknown[]) =>
            lagging && text.includes("pg_last_wal_replay_lsn")
              ? Promise.resolve({
                  rows: [{ standby: true, replayed_lsn: "0/1", replayed_at: null, caught_up: false }],
                })
              : target.query(text, values);
        }
        if (property === "connect") {
          return async () => {
            const client = await target.connect();
            return new Proxy(client, {
              get(clientTarget, clientProperty) {
                if (clientProperty === "query") {
                  return (text: unknown, values?: unknown[]) => {
                    if (typeof text === "string" && !/^(BEGIN|COMMIT|ROLLBACK)/.test(text) && conflicts > 0) {
                      conflicts -= 1;
                      conflicted += 1;
                      // What a hot standby raises when replay removes rows a snapshot still needs.
                      return Promise.reject(
                        Object.assign(new Error("canceling statement due to conflict with recovery"), {
                          code: "40001",
                        }),
                      );
                    }
                    return clientTarget.query(text as string, values);
                  };
                }
                const value = Reflect.get(clientTarget, clientProperty);
                return typeof value === "function" ? value.bind(clientTarget) : value;
              },
            });
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const database: Database = { ...real, primary: real.primary, replica, close: () => real.close() };
    const producer = createProducer({ sqs: stack.sqs }, { prefix: stack.prefix });
    await producer.send("reportrequest", {
      type: "reportrequest",
      version: 1,
      id: "operator:production-summary:2026-11:72",
      environment: "live",
      report: "production-summary",
      parameters: { scope: "72", period: "2026-11" },
    });
    await startGenerator({ database });
    await waitFor(
      async () => (await runsOf("production-summary"))[0]?.errorReason?.startsWith("replica behind") === true,
      {
        description: "the run deferred for the replica",
      },
    );
    expect((await runsOf("production-summary"))[0]?.status).toBe("claimed");
    lagging = false;
    await waitFor(async () => (await runsOf("production-summary"))[0]?.status === "sent", {
      description: "the run sent once the replica caught up",
      timeoutMs: 30_000,
    });
    expect(conflicted).toBe(1);
    const [run] = await runsOf("production-summary");
    // Deferrals are not failed attempts.
    expect(run?.attempts).toBe(1);
    expect(await listDeadLetters(stack.sqs, stack.prefix, "reportrequest")).toHaveLength(0);
  });

  it("sends the lab client report of a LAB submission to the submitter, with its PDF, as emailoutput with the PDF attached and the request's correlation id", async () => {
    const paravet = DEMO_USERS.paravet;
    const sms = async (text: string, n: number) =>
      handleInboundMessage(db, {
        channel: "sms",
        sender: paravet.phone,
        text,
        receivedAt: new Date(),
        externalId: `${stack.id}-${n}`,
        environment: "live",
      });
    const reported = await sms("U mc,dm sp 3 72060203", 1);
    const caseId = /\d{4,}/.exec(reported.reply?.body ?? "")?.[0];
    expect(caseId).toBeDefined();
    await sms(`LAB ${caseId} FES SG PAR 2 730801`, 2);
    const { rows } = await db.query<{ id: number }>(
      "SELECT id::int FROM lab_submissions WHERE case_id = $1",
      [caseId],
    );
    const submissionId = rows[0]?.id as number;
    const producer = createProducer({ sqs: stack.sqs }, { prefix: stack.prefix });
    await producer.send(
      "reportrequest",
      {
        type: "reportrequest",
        version: 1,
        id: `lab-client-report:live:${submissionId}`,
        environment: "live",
        report: "lab-client-report",
        parameters: { submissionId, uploadId: 7 },
        recipients: [paravet.email],
        inReplyTo: "<upload-7@mail.example>",
      },
      // As excel-processor asks: with the upload mail's Message-ID, which the report mail keeps.
      { correlationId: "<upload-7@mail.example>" },
    );
    await startGenerator();
    const correlationIds: (string | undefined)[] = [];
    const [asked] = await waitForQueueMessages(stack, 1, correlationIds);
    expect(correlationIds).toEqual(["<upload-7@mail.example>"]);
    expect(asked?.to).toEqual([paravet.email]);
    expect(asked?.inReplyTo).toBe("<upload-7@mail.example>");
    const pdf = asked?.attachments?.find((attachment) => attachment.filename.endsWith(".pdf"));
    expect(pdf?.filename).toBe(`laporan-klien-laboratorium-${submissionId}-upload-7.pdf`);
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    const object = await buckets.reports.get(pdf?.key as string);
    const dir = await mkdtemp(join(tmpdir(), "lab-report-"));
    try {
      await writeFile(join(dir, "report.pdf"), Buffer.concat(await object.body.toArray()));
      const text = execFileSync("pdftotext", ["-layout", join(dir, "report.pdf"), "-"])
        .toString()
        .replace(/\s+/g, " ");
      expect(text).toContain("Laboratorium Keswan Bone");
      expect(text).toContain("Laporan klien laboratorium");
      expect(text).toContain(String(caseId));
      expect(text).toContain("Feses");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a host dying between building and sending: another sends the built files, each recipient once", async () => {
    // Host A builds, then its call to emailoutput never returns (the process is gone).
    let hung = 0;
    const real = createProducer({ sqs: stack.sqs }, { prefix: stack.prefix });
    const dying: Pick<QueueProducer, "send" | "sendBatch"> = {
      send: real.send.bind(real),
      sendBatch: ((queue: string, messages: unknown[]) => {
        if (queue === "emailoutput") {
          hung += 1;
          return new Promise(() => {});
        }
        return real.sendBatch(queue as "reportrequest", messages as never);
      }) as QueueProducer["sendBatch"],
    };
    await real.send("reportrequest", {
      type: "reportrequest",
      version: 1,
      id: "operator:district-case-summary:2026-11:7206",
      environment: "live",
      report: "district-case-summary",
      parameters: { scope: "7206", period: "2026-11" },
    });
    const a = await startGenerator({ overrides: { REPORT_HOST_ID: "host-a" }, producer: dying });
    await waitFor(async () => hung > 0 && (await runsOf("district-case-summary"))[0]?.status === "built", {
      description: "host A built the run",
    });
    const built = (await runsOf("district-case-summary"))[0];
    // A is killed: its consumer gives the message back, but the lease is still A's.
    const stopping = a.stop();
    await startGenerator({ overrides: { REPORT_HOST_ID: "host-b" } });
    await waitFor(async () => (await runsOf("district-case-summary"))[0]?.status === "sent", {
      description: "host B sent the run",
      timeoutMs: 60_000,
    });
    await stopping;
    const sent = (await runsOf("district-case-summary"))[0];
    // Not built again: B sent A's files.
    expect(sent?.builtAt?.getTime()).toBe(built?.builtAt?.getTime());
    expect(sent?.artefacts).toEqual(built?.artefacts);
    expect(sent?.leaseOwner).toBe("host-b");
    await waitForQueueDrained(stack, "reportrequest");
    const emailoutput = await waitForQueueMessages(stack, 1);
    expect(emailoutput.map((message) => message.id)).toEqual([
      "report:live:district-case-summary:2026-11:7206:g1:id:0",
    ]);
    expect(emailoutput[0]?.to.sort()).toEqual([coordinator, provincial].sort());
  });
});

/** Reads and deletes messages of `queue` until `count` were seen, each with its correlation id. */
async function takeMessages<Q extends "emailoutput" | "reportrequest">(
  stack: TestStack,
  queue: Q,
  count: number,
): Promise<{ body: MessageInputOf<Q>; correlationId: string | undefined }[]> {
  const { ReceiveMessageCommand, DeleteMessageCommand } = await import("@aws-sdk/client-sqs");
  const { queueUrl } = await import("@isikhnas/platform");
  const url = await queueUrl(stack.sqs, stack.prefix, queue);
  const seen: { body: MessageInputOf<Q>; correlationId: string | undefined }[] = [];
  await waitFor(async () => {
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ["All"],
      }),
    );
    for (const message of Messages) {
      seen.push({
        body: JSON.parse(message.Body ?? "{}") as MessageInputOf<Q>,
        correlationId: message.MessageAttributes?.correlationId?.StringValue,
      });
      await stack.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    }
    return seen.length >= count;
  });
  return seen;
}

/** Reads (and deletes) the emailoutput messages the generator asked for; `correlationIds` gets each one's attribute. */
async function waitForQueueMessages(
  stack: TestStack,
  count: number,
  correlationIds: (string | undefined)[] = [],
) {
  const taken = await takeMessages(stack, "emailoutput", count);
  correlationIds.push(...taken.map((message) => message.correlationId));
  return taken.map((message) => message.body) as (MessageInputOf<"emailoutput"> & { to: string[] })[];
}

/** Reads (and deletes) `count` reportrequest messages: each run's correlation id by its run id. */
async function takeRequests(stack: TestStack, count: number) {
  const taken = await takeMessages(stack, "reportrequest", count);
  return Object.fromEntries(
    taken.map((message) => [String(message.body.parameters?.run), message.correlationId]),
  ) as Record<string, string | undefined>;
}
