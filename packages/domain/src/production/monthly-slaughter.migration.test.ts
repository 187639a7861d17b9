// Migration 0061 against rows as the shared table held them: workbook months move to
// monthly_slaughter_reports, an RP a workbook had replaced comes back, and a month an RP
// had overwritten stays the day it now holds.
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { type Database, migrate } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir } from "../migrations.js";
import { DEMO_USERS, seedDemoData } from "../reference/demo.js";
import { seedReferenceData } from "../reference/seed.js";

const MIGRATION = "0061_monthly_slaughter.sql";

let stack: TestStack;
let db: Database;
let dir: string;

async function migrateUpTo(last: string): Promise<void> {
  for (const file of await readdir(migrationsDir)) {
    if (file.endsWith(".sql") && file <= last) await copyFile(join(migrationsDir, file), join(dir, file));
  }
  await migrate({ databaseUrl: stack.databaseUrl, dir });
}

beforeAll(async () => {
  stack = await createTestStack({ database: "empty" });
  dir = await mkdtemp(join(tmpdir(), "migrations-"));
  await migrateUpTo("0060_~");
  db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
});
afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("migration 0061: monthly slaughter figures get their own table", () => {
  it("moves the months, gives back the RP days they replaced and keeps what RP overwrote as days", async () => {
    const { rows } = await db.query<{ reporter: number; house: number }>(
      `SELECT c.user_id::int AS reporter, (SELECT id::int FROM infrastructure WHERE code = 'RPH7206') AS house
       FROM contacts c WHERE c.channel = 'sms' AND c.address = $1`,
      [DEMO_USERS.abattoir_reporter.phone],
    );
    const { reporter, house } = rows[0] ?? { reporter: 0, house: 0 };
    const inbound = async (externalId: string) =>
      (
        await db.query<{ id: number }>(
          `INSERT INTO inbound_messages (channel, sender, text, received_at, external_id, user_id, status)
           VALUES ('sms', $1, 'RP', now(), $2, $3, 'accepted') RETURNING id::int`,
          [DEMO_USERS.abattoir_reporter.phone, externalId, reporter],
        )
      ).rows[0]?.id;
    const upload = (
      await db.query<{ id: number }>(
        `INSERT INTO uploads (template_code, template_version, user_id, sender_address, message_id, file_name,
           content_sha256) VALUES ('monthly_slaughter', 1, $1, 'rph@example.org', '<m@x>', 'm.xlsx', repeat('c', 64))
         RETURNING id::int`,
        [reporter],
      )
    ).rows[0]?.id;
    const row = (
      day: string,
      species: string,
      male: number,
      female: number,
      extra: Record<string, unknown>,
    ) =>
      db.query(
        `INSERT INTO slaughter_reports (slaughterhouse_id, report_date, species_code, male_count, female_count,
           productive_female_count, reporter_id, inbound_message_id, upload_id, created_by, created_at,
           deleted_by, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7, coalesce($10::timestamptz, now()), $11, $12)`,
        [
          house,
          day,
          species,
          male,
          female,
          extra.productive ?? null,
          reporter,
          extra.inbound ?? null,
          extra.upload ?? null,
          extra.createdAt ?? null,
          extra.deletedAt ? reporter : null,
          extra.deletedAt ?? null,
        ],
      );
    const importedAt = "2025-08-05T01:00:00Z";
    // August: the RP of the 1st, then the month's workbook replaced it (same transaction time).
    await row("2025-08-01", "SP", 3, 2, { inbound: await inbound("aug-rp"), deletedAt: importedAt });
    await row("2025-08-01", "SP", 60, 40, { upload, productive: 5, createdAt: importedAt });
    // September: the workbook, then an RP of the 1st overwrote it (the month's figures lost then).
    await row("2025-09-01", "SP", 1, 4, { upload, inbound: await inbound("sep-rp"), productive: 3 });
    // An RP day no workbook touched.
    await row("2025-09-02", "KB", 7, 7, { inbound: await inbound("sep-2-rp") });

    await migrateUpTo(MIGRATION);

    const days = await db.query(
      `SELECT report_date::text AS day, species_code, male_count, female_count, productive_female_count
       FROM slaughter_reports WHERE deleted_at IS NULL ORDER BY report_date, species_code`,
    );
    expect(days.rows).toEqual([
      {
        day: "2025-08-01",
        species_code: "SP",
        male_count: 3,
        female_count: 2,
        productive_female_count: null,
      },
      {
        day: "2025-09-01",
        species_code: "SP",
        male_count: 1,
        female_count: 4,
        productive_female_count: null,
      },
      {
        day: "2025-09-02",
        species_code: "KB",
        male_count: 7,
        female_count: 7,
        productive_female_count: null,
      },
    ]);
    const months = await db.query(
      `SELECT month::text, species_code, male_count, female_count, productive_female_count, upload_id::int
       FROM monthly_slaughter_reports WHERE deleted_at IS NULL ORDER BY month`,
    );
    expect(months.rows).toEqual([
      {
        month: "2025-08-01",
        species_code: "SP",
        male_count: 60,
        female_count: 40,
        productive_female_count: 5,
        upload_id: upload,
      },
    ]);
  });
});
