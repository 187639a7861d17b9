// The MIME bad-input corpus (src/corpus/, written by `npm run fuzz:corpus`) piped into
// email-ingest as Postfix would, against the test database, buckets and queues: every mail
// is accepted (exit 0) with an outcome and a reason, never "try again later" for ever (a
// refusal that Postfix retries is a loop), quickly and in bounded memory.
import { readdir, readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { createLogger } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIngestDeps } from "./app.js";
import { loadConfig } from "./config.js";
import type { IngestDeps, IngestResult } from "./ingest.js";
import { receivePipedMail } from "./pipe.js";

const corpusDir = new URL("./corpus/", import.meta.url);
const ingestAddress = "laporan@isikhnas.example";

let stack: TestStack;
let deps: IngestDeps;

beforeAll(async () => {
  stack = await createTestStack();
  await stack.provision();
  const db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
  deps = buildIngestDeps({
    config: loadConfig({ ...stack.env, INGEST_ADDRESS_LIVE: ingestAddress }),
    logger: createLogger({ name: "email-ingest-corpus", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    sqs: stack.sqs,
    s3: stack.s3,
    databases: { live: db },
  });
});
afterAll(() => stack?.close());

describe("the MIME corpus", () => {
  it("accepts every mail with an outcome and a reason, quickly and in bounded memory", async () => {
    const names = (await readdir(corpusDir)).filter((name) => name.endsWith(".eml")).sort();
    expect(names.length).toBeGreaterThan(90);
    const results = new Map<string, IngestResult>();
    const failed: string[] = [];
    const slow: string[] = [];
    const base = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }, 5);
    try {
      for (const [index, name] of names.entries()) {
        const raw = (await readFile(new URL(name, corpusDir), "latin1"))
          .replaceAll("FROM_ADDRESS", DEMO_USERS.abattoir_reporter.email)
          .replaceAll("TO_ADDRESS", ingestAddress)
          .replaceAll("MSGTAG", `${stack.id}-${index}`);
        const started = performance.now();
        const outcome = await receivePipedMail(
          deps,
          Readable.from([Buffer.from(raw, "latin1")]),
          ingestAddress,
        );
        const ms = performance.now() - started;
        if (ms > 5_000) slow.push(`${name}: ${Math.round(ms)} ms`);
        if (outcome.exitCode !== 0 || !outcome.result) failed.push(`${name}: exit ${outcome.exitCode}`);
        else results.set(name, outcome.result);
      }
    } finally {
      clearInterval(sampler);
    }
    expect(failed).toEqual([]);
    expect(slow).toEqual([]);
    for (const [name, result] of results) {
      if (result.kind === "queued") expect(result.attachments, name).toBeGreaterThan(0);
      else expect(result.reason.length, name).toBeGreaterThan(3);
    }
    const kinds = new Set([...results.values()].map((result) => result.kind));
    expect(kinds).toEqual(new Set(["queued", "answered", "ignored"]));
    expect(peak).toBeLessThan(200 * 1024 * 1024);
  }, 180_000);
});
