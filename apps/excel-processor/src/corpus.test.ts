// The workbook bad-input corpus (src/corpus/, written by `npm run fuzz:corpus`) through
// the real emailinput handler, against the test database, buckets and queues: every file
// ends with an outcome and exactly one answer, none throws (a thrown error is retried
// until the redrive policy dead-letters the message without a reason), none takes long,
// and memory stays bounded for the zip bombs and the sheets that claim a million rows.
import { readdir, readFile } from "node:fs/promises";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { createBuckets, createLogger, createProducer, type Database, type Outcome } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodeListCache } from "./code-lists.js";
import { limitsOf, loadConfig } from "./config.js";
import { QueueCollector, stageMessage } from "./testing/harness.js";
import { createUploadHandler } from "./upload-handler.js";

const corpusDir = new URL("./corpus/", import.meta.url);
const logger = createLogger({ name: "excel-corpus-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });

let stack: TestStack;
let db: Database;

beforeAll(async () => {
  stack = await createTestStack();
  await stack.provision();
  db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
});
afterAll(() => stack?.close());

describe("the workbook corpus", () => {
  it("ends every file with one answer and a reason, quickly and in bounded memory", async () => {
    const config = loadConfig(stack.env);
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    const handler = createUploadHandler({
      databases: { live: db },
      buckets,
      producer: createProducer({ sqs: stack.sqs, logger }, { prefix: stack.prefix }),
      codeLists: new CodeListCache(),
      settings: {
        systemTag: config.SYSTEM_TAG,
        limits: limitsOf(config),
        errorWorkbookMaxRows: config.ERROR_WORKBOOK_MAX_ROWS,
        statementTimeoutMs: config.IMPORT_STATEMENT_TIMEOUT_MS,
      },
    });
    const names = (await readdir(corpusDir)).sort();
    expect(names.length).toBeGreaterThan(120);

    const sent = new Map<string, string>();
    const outcomes = new Map<string, Outcome>();
    const thrown: string[] = [];
    const slow: string[] = [];
    const base = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }, 5);
    try {
      for (const [index, name] of names.entries()) {
        const content = await readFile(new URL(name, corpusDir));
        const message = await stageMessage(buckets, content, {
          from: DEMO_USERS.paravet.email,
          filename: name,
        });
        sent.set(message.messageId, name);
        const started = performance.now();
        try {
          outcomes.set(
            name,
            await handler(message, {
              messageId: `corpus-${index}`,
              receiveCount: 1,
              correlationId: message.messageId,
              attributes: {},
              logger,
              signal: new AbortController().signal,
              progress: () => {},
            }),
          );
        } catch (error) {
          thrown.push(`${name}: ${String(error)}`);
        }
        const ms = performance.now() - started;
        if (ms > 5_000) slow.push(`${name}: ${Math.round(ms)} ms`);
      }
    } finally {
      clearInterval(sampler);
    }
    expect(thrown).toEqual([]);
    expect(slow).toEqual([]);
    for (const [name, outcome] of outcomes) {
      expect(["done", "reject"], name).toContain(outcome.kind);
      if (outcome.kind === "reject") expect(outcome.reason.length, name).toBeGreaterThan(3);
    }
    const answers = new Map<string, number>();
    for (const mail of await new QueueCollector(stack, "emailoutput").poll()) {
      const name = sent.get(mail.inReplyTo ?? "");
      if (name) answers.set(name, (answers.get(name) ?? 0) + 1);
    }
    expect([...sent.values()].filter((name) => answers.get(name) !== 1)).toEqual([]);
    // The bombs expand to 20 MiB each and the formatting claims a million rows: none may
    // be held in memory whole.
    expect(peak).toBeLessThan(200 * 1024 * 1024);
  }, 180_000);
});
