// The SMS bad-input corpus (src/corpus/, written by `npm run fuzz:corpus`) through the
// gateway's real incoming path against the test database: every file is answered once or
// quarantined with a reason, nothing throws, and nothing is left in incoming/ or parts/.
import { copyFile, readdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIncomingDeps } from "./app.js";
import {
  handleIncomingFile,
  type IncomingDeps,
  type IncomingOutcome,
  sweepParts,
} from "./incoming-handler.js";
import { incomingContent, logger } from "./testing/gateway.js";
import { tempSpool, testConfig } from "./testing/spool.js";

const corpusDir = new URL("./corpus/", import.meta.url);

let stack: TestStack;
let db: Database;
let spool: Awaited<ReturnType<typeof tempSpool>>;
let deps: IncomingDeps;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
  spool = await tempSpool();
  deps = createIncomingDeps({ config: testConfig(stack.env, spool.root), db, logger });
});

afterAll(async () => {
  await stack?.close();
  await spool?.remove();
});

describe("the SMS corpus", () => {
  it("answers every file once or quarantines it with a reason", async () => {
    const names = (await readdir(corpusDir)).filter((name) => name.endsWith(".sms")).sort();
    expect(names.length).toBeGreaterThan(250);
    const outcomes = new Map<string, IncomingOutcome>();
    const thrown: string[] = [];
    for (const name of names) {
      const path = join(spool.incoming, `GSM1.${name}`);
      await copyFile(new URL(name, corpusDir), path);
      try {
        outcomes.set(name, await handleIncomingFile(deps, path));
      } catch (error) {
        thrown.push(`${name}: ${String(error)}`);
      }
    }
    expect(thrown).toEqual([]);
    // Groups whose parts never all came are handed over incomplete once their wait is over.
    await sweepParts(deps, 0);

    expect(await readdir(spool.incoming)).toEqual([]);
    expect(await readdir(spool.parts)).toEqual([]);
    const quarantined = [...outcomes].filter(([, outcome]) => outcome.outcome === "quarantined");
    for (const [name, outcome] of quarantined) {
      const reason = await readFile(join(spool.quarantine, `GSM1.${name}.reason`), "utf8");
      expect(reason.split("\n")[0], name).toBe(outcome.outcome === "quarantined" && outcome.reason);
      expect(reason.length, name).toBeGreaterThan(10);
    }
    expect(quarantined.length).toBeGreaterThan(10);

    // Every message from a registered user has exactly one reply; any other sender at most one.
    const { rows } = await db.query<{
      id: number;
      external_id: string;
      registered: boolean;
      replies: number;
    }>(
      `SELECT m.id, m.external_id, m.user_id IS NOT NULL AS registered,
              (SELECT count(*)::int FROM outbound_messages o
                WHERE o.inbound_message_id = m.id AND o.kind IN ('reply', 'notice')) AS replies
         FROM inbound_messages m`,
    );
    const delivered = [...outcomes.values()].filter((outcome) => outcome.outcome === "delivered");
    const groups = new Set(
      [...outcomes.values()].flatMap((outcome) => (outcome.outcome === "part-stored" ? [outcome.group] : [])),
    );
    expect(rows).toHaveLength(delivered.length + groups.size);
    for (const row of rows) {
      if (row.registered) expect(row.replies, row.external_id).toBe(1);
      else expect(row.replies, row.external_id).toBeLessThanOrEqual(1);
    }
    expect(rows.filter((row) => row.registered).length).toBeGreaterThan(200);
  });
});

/** The largest growth of external memory (Buffers) while `task` runs, sampled as it goes. */
async function peakBufferGrowth(task: () => Promise<unknown>): Promise<number> {
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 2);
  try {
    await task();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().arrayBuffers) - base;
}

describe("incoming files beyond the corpus", () => {
  it("quarantines a huge file without reading it whole", async () => {
    // Made here, not kept in the corpus: 64 MiB would not belong in the repository.
    const path = join(spool.incoming, "GSM1.huge");
    await writeFile(path, incomingContent({ from: "081100000007", text: "U mc sp 4 " }));
    await truncate(path, 64 * 1024 * 1024);
    let outcome: IncomingOutcome | undefined;
    const growth = await peakBufferGrowth(async () => {
      outcome = await handleIncomingFile(deps, path);
    });
    expect(outcome).toMatchObject({ outcome: "quarantined", reason: expect.stringMatching(/too large/) });
    expect(growth).toBeLessThan(16 * 1024 * 1024);
    expect(await readdir(spool.incoming)).toEqual([]);
  });

  it("never throws on any bytes: one reply, or quarantine with a reason", async () => {
    const line = fc.oneof(
      fc.constantFrom("From: 081100000007", "From: 081299999999", "Alphabet: UCS2", "Alphabet: ISO"),
      fc.constantFrom("Alphabet: UTF-8", "UDH-DATA: 05 00 03 2A 02 01", "Length: 7", "Error: x"),
      fc.string({ maxLength: 40 }),
    );
    const file = fc
      .tuple(
        fc.array(line, { maxLength: 8 }),
        fc.constantFrom("\n\n", "\r\n\r\n", "\n"),
        fc.uint8Array({ maxLength: 400 }),
      )
      .map(([headers, separator, body]) =>
        Buffer.concat([Buffer.from(headers.join("\n") + separator, "utf8"), body]),
      );
    let index = 0;
    await fc.assert(
      fc.asyncProperty(file, async (content) => {
        index += 1;
        const name = `GSM1.prop${index}`;
        const path = join(spool.incoming, name);
        await writeFile(path, content);
        const outcome = await handleIncomingFile(deps, path);
        if (outcome.outcome === "quarantined") {
          expect(await readFile(join(spool.quarantine, `${name}.reason`), "utf8")).toContain(outcome.reason);
        }
        if (outcome.outcome === "delivered" && !outcome.duplicate) {
          const { rows } = await db.query<{ replies: number; registered: boolean }>(
            `SELECT m.user_id IS NOT NULL AS registered,
                    (SELECT count(*)::int FROM outbound_messages o
                      WHERE o.inbound_message_id = m.id AND o.kind IN ('reply', 'notice')) AS replies
               FROM inbound_messages m WHERE m.external_id = $1`,
            [outcome.externalId],
          );
          expect(rows[0]?.replies).toBe(rows[0]?.registered ? 1 : rows[0]?.replies);
          expect(rows[0]?.replies).toBeLessThanOrEqual(1);
        }
        expect(await readdir(spool.incoming)).toEqual([]);
      }),
      { numRuns: 150 },
    );
    await sweepParts(deps, 0);
    expect(await readdir(spool.parts)).toEqual([]);
  });
});
