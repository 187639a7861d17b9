// The reportrequest bad-input corpus (src/corpus/, written by `npm run fuzz:corpus`): each
// body is read as the consumer reads it (JSON, then the catalog's contract) and, when it
// passes, handed to the real handler against the test database. Every body must end with
// a reason (dead-lettered at once, refused, or done); none may throw, since a thrown error
// is retried until the redrive policy dead-letters the message without one.
import { readdir, readFile } from "node:fs/promises";
import { messageCatalog } from "@isikhnas/contracts";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { createBuckets, createLogger, createProducer, type Database, type Outcome } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReportHandler } from "./handler.js";

const corpusDir = new URL("./corpus/", import.meta.url);
const logger = createLogger({ name: "report-corpus-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });

let stack: TestStack;
let db: Database;

beforeAll(async () => {
  stack = await createTestStack();
  await stack.provision();
  db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
});
afterAll(async () => {
  await stack?.close();
});

type Verdict = { kind: "invalid"; reason: string } | Outcome;

describe("the reportrequest corpus", () => {
  it("gives every body a reason and never throws", async () => {
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    const handler = createReportHandler(
      {
        databases: { live: db },
        reports: buckets.reports,
        producer: createProducer({ sqs: stack.sqs, logger }, { prefix: stack.prefix }),
        clock: () => new Date("2026-12-01T08:00:00+08:00"),
      },
      {
        hostId: "corpus-test",
        leaseSeconds: 60,
        replicaRetrySeconds: 1,
        maxAttempts: 3,
        attachMaxBytes: 10 * 1024 * 1024,
        linkDays: 7,
        systemTags: { live: "[iSIKHNAS]", training: "[iSIKHNAS TRAINING]" },
      },
    );
    const names = (await readdir(corpusDir)).filter((name) => name.endsWith(".json")).sort();
    expect(names.length).toBeGreaterThan(80);
    const verdicts = new Map<string, Verdict>();
    const thrown: string[] = [];
    for (const [index, name] of names.entries()) {
      const body = await readFile(new URL(name, corpusDir), "utf8");
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch (error) {
        verdicts.set(name, { kind: "invalid", reason: `body is not JSON: ${String(error)}` });
        continue;
      }
      const parsed = messageCatalog.reportrequest.safeParse(value);
      if (!parsed.success) {
        verdicts.set(name, { kind: "invalid", reason: parsed.error.issues[0]?.message ?? "" });
        continue;
      }
      const controller = new AbortController();
      try {
        verdicts.set(
          name,
          await handler(parsed.data, {
            messageId: `corpus-${index}`,
            receiveCount: 1,
            correlationId: `corpus-${index}`,
            attributes: {},
            logger,
            signal: controller.signal,
            progress: () => {},
          }),
        );
      } catch (error) {
        thrown.push(`${name}: ${String(error)}`);
      }
    }
    expect(thrown).toEqual([]);
    for (const [name, verdict] of verdicts) {
      expect(["invalid", "reject", "deadLetter", "done"], name).toContain(verdict.kind);
      if (verdict.kind !== "done" && verdict.kind !== "retryLater") {
        expect(verdict.reason.length, name).toBeGreaterThan(3);
      }
    }
    const handled = [...verdicts.values()].filter((verdict) => verdict.kind !== "invalid");
    expect(handled.length).toBeGreaterThan(25);
  });
});
