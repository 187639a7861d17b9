import { rename } from "node:fs/promises";
import { join } from "node:path";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { createLogger, type Database } from "@isikhnas/platform";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reconcileSending } from "./reconcile.js";
import { exists } from "./spool/files.js";
import type { SpoolLayout } from "./spool/layout.js";
import { writeOutgoing } from "./spool/write-outgoing.js";
import { messageFiles, tempSpool } from "./testing/spool.js";

const logger = createLogger({ name: "sms-gateway-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });
const NAME = "sms-41-1-c0ffee";

let stack: TestStack;
let db: Database;
let spool: Awaited<ReturnType<typeof tempSpool>>;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase();
});

afterAll(async () => {
  await stack?.close();
});

beforeEach(async () => {
  spool = await tempSpool();
  await db.query("DELETE FROM outbound_messages");
  await db.query(
    `INSERT INTO outbound_messages (channel, address, body, kind, status, attempts, external_ref)
     VALUES ('sms', '6281100000007', 'in flight', 'alert', 'sending', 1, $1)`,
    [NAME],
  );
});

afterEach(async () => {
  await spool?.remove();
});

/**
 * A moment after the row was written: modified_at has microseconds and a Date only
 * milliseconds, so "now" taken in the same millisecond as the insert would seem older.
 */
const afterWrites = () => new Date(Date.now() + 1_000);

type Folder = "outgoing" | "checked" | "sent" | "failed";

/** Where smsd moves a file next: outgoing → checked → sent or failed. */
function nextFolder(from: Folder, verdict: "sent" | "failed"): Folder | undefined {
  if (from === "outgoing") return "checked";
  if (from === "checked") return verdict;
  return undefined;
}

async function folderOf(layout: SpoolLayout): Promise<Folder[]> {
  const found: Folder[] = [];
  for (const folder of ["outgoing", "checked", "sent", "failed"] as const) {
    if ((await messageFiles(layout[folder])).includes(NAME)) found.push(folder);
  }
  return found;
}

async function status(): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>(
    "SELECT status FROM outbound_messages WHERE external_ref = $1",
    [NAME],
  );
  return rows[0]?.status;
}

describe("reconciling at start-up while smsd moves the file", () => {
  // Every moment smsd might move the file one folder on during the reconciler's looks.
  const cases = (["outgoing", "checked"] as const).flatMap((start) =>
    (["sent", "failed"] as const).flatMap((verdict) =>
      [1, 2, 3, 4].map((afterLook) => ({ start, verdict, afterLook })),
    ),
  );

  it.each(cases)(
    "a file in $start/ moved on (to $verdict) after look $afterLook is never written again",
    async ({ start, verdict, afterLook }) => {
      await writeOutgoing(spool[start], NAME, { to: "6281100000007", text: "in flight" });
      let looks = 0;
      let where: Folder = start;
      // smsd works beside the gateway: it moves the file right after the chosen look.
      const look = async (path: string) => {
        const found = await exists(path);
        looks += 1;
        const next = nextFolder(where, verdict);
        if (looks === afterLook && next) {
          await rename(join(spool[where], NAME), join(spool[next], NAME));
          where = next;
        }
        return found;
      };

      const result = await reconcileSending(
        { db, spool, logger, maxAttempts: 3, exists: look },
        { rewriteMissing: true, olderThanMs: 0, now: afterWrites() },
      );

      expect(result.rewritten).toBe(0);
      // One file, where smsd put it: no second copy in outgoing/ for smsd to send again.
      expect(await folderOf(spool)).toEqual([where]);
      // A verdict is taken only from sent/ or failed/; a file still in flight is left alone.
      expect(["sending", verdict === "sent" ? "sent" : "queued"]).toContain(await status());
    },
  );

  it("writes a file that is in no folder at all", async () => {
    const result = await reconcileSending(
      { db, spool, logger, maxAttempts: 3 },
      { rewriteMissing: true, olderThanMs: 0, now: afterWrites() },
    );
    expect(result.rewritten).toBe(1);
    expect(await folderOf(spool)).toEqual(["outgoing"]);
    expect(await status()).toBe("sending");
  });
});
