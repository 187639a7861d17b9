// The monthly slaughter importer against a real database: staged rows replace the
// earlier figures of slaughterhouses in service; a row whose slaughterhouse was taken out
// of service after the checks rolls the import back rather than being dropped.
import { createHash } from "node:crypto";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import {
  DEMO_USERS,
  monthlySlaughter,
  ReferenceDataChanged,
  replaceMonthlySlaughter,
  seedDemoData,
  seedReferenceData,
} from "@isikhnas/domain";
import type { Database, Transaction } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createStagingTables, stagingTableOf } from "../staging.js";
import { claimUpload } from "../uploads.js";
import { importMonthlySlaughter } from "./monthly-slaughter.js";

let stack: TestStack;
let db: Database;
let reporterId: number;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase({ poolMax: 2 });
  await seedReferenceData(db);
  await seedDemoData(db);
  const reporter = await db.query<{ user_id: string }>(
    "SELECT user_id FROM contacts WHERE channel = 'sms' AND address = $1",
    [DEMO_USERS.abattoir_reporter.phone],
  );
  reporterId = Number(reporter.rows[0]?.user_id);
});
afterAll(async () => {
  await stack?.close();
});

interface Figures {
  slaughterhouse: string;
  male: number;
  female: number;
}

/** Earlier figures of a month, as an earlier upload left them. */
async function reportFigures(
  slaughterhouse: string,
  month: string,
  figures: { male: number; female: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const uploadId = await claim(tx, `${month}-${slaughterhouse}-earlier`);
    await replaceMonthlySlaughter(
      tx,
      { rows: [{ slaughterhouse, month, species: "SP", ...figures, productive_female: null }] },
      { reporterId, uploadId },
    );
  });
}

async function claim(tx: Transaction, name: string): Promise<number> {
  const uploadId = await claimUpload(tx, {
    templateCode: monthlySlaughter.id,
    templateVersion: monthlySlaughter.version,
    userId: reporterId,
    senderAddress: DEMO_USERS.abattoir_reporter.email,
    messageId: `<${name}@rph.example.org>`,
    fileName: "pemotongan.xlsx",
    sha256: createHash("sha256").update(name).digest("hex"),
    objectKey: `attachments/${name}`,
    environment: "live",
    receivedAt: new Date().toISOString(),
  });
  if (uploadId === undefined) throw new Error("the upload was not claimed");
  return uploadId;
}

async function stage(tx: Transaction, month: string, rows: readonly Figures[]): Promise<void> {
  await createStagingTables(tx, monthlySlaughter);
  for (const [index, row] of rows.entries()) {
    await tx.query(
      `INSERT INTO ${stagingTableOf(monthlySlaughter, "slaughter")}
         (row_number, slaughterhouse, month, species, male, female) VALUES ($1, $2, $3, 'SP', $4, $5)`,
      [index + 2, row.slaughterhouse, month, row.male, row.female],
    );
  }
}

async function liveFigures(month: string): Promise<Figures[]> {
  const result = await db.query<Figures>(
    `SELECT i.code AS slaughterhouse, r.male_count AS male, r.female_count AS female
     FROM monthly_slaughter_reports r JOIN infrastructure i ON i.id = r.slaughterhouse_id
     WHERE r.month = $1 AND r.species_code = 'SP' AND r.deleted_at IS NULL ORDER BY i.code`,
    [month],
  );
  return result.rows;
}

describe("the monthly slaughter importer", () => {
  async function importApril(month: string, retireBetween?: string) {
    return db.transaction(async (tx) => {
      const uploadId = await claim(tx, month);
      await stage(tx, month, [
        { slaughterhouse: "RPH7206", male: 10, female: 4 },
        { slaughterhouse: "RPH7308", male: 20, female: 8 },
      ]);
      // Between the checks and the import another session may retire a slaughterhouse
      // (each statement of the import sees what was committed before it started).
      if (retireBetween) {
        await db.query("UPDATE infrastructure SET deleted_at = now() WHERE code = $1", [retireBetween]);
      }
      return importMonthlySlaughter.finish({ tx, uploadId, userId: reporterId }, 0);
    });
  }

  it("replaces the earlier figures of each slaughterhouse for the month", async () => {
    const month = "2025-03-01";
    await reportFigures("RPH7206", month, { male: 1, female: 1 });
    await reportFigures("RPH7308", month, { male: 2, female: 2 });
    const result = await importApril(month);
    expect(result.counts).toEqual({ reports: 2 });
    expect(await liveFigures(month)).toEqual([
      { slaughterhouse: "RPH7206", male: 10, female: 4 },
      { slaughterhouse: "RPH7308", male: 20, female: 8 },
    ]);
  });

  it("rolls back, rather than drop a row, when a slaughterhouse is taken out of service after the checks", async () => {
    const month = "2025-04-01";
    await reportFigures("RPH7206", month, { male: 1, female: 1 });
    await reportFigures("RPH7308", month, { male: 2, female: 2 });
    onTestFinished(async () => {
      await db.query("UPDATE infrastructure SET deleted_at = NULL WHERE code = 'RPH7308'");
    });
    await expect(importApril(month, "RPH7308")).rejects.toBeInstanceOf(ReferenceDataChanged);
    // Nothing replaced, nothing lost: the redelivered message is checked again.
    expect(await liveFigures(month)).toEqual([
      { slaughterhouse: "RPH7206", male: 1, female: 1 },
      { slaughterhouse: "RPH7308", male: 2, female: 2 },
    ]);
  });
});
