// A seeded dataset with known answers for the report tests: cases in Morowali (7206,
// WITA) in November 2026 (including ones just inside and just outside the month in local
// time), none in Banggai (7201), slaughter and vaccination in Sulawesi Tengah (72).
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";

const SIGNS = ["DM", "MC", "BT", "LM"] as const;
const SPECIES = ["SP", "KB", "AY"] as const;
const VILLAGES = ["72060201", "72060202", "72060301"] as const;
const OUTCOMES = [null, "SB", "MT"] as const;

/** November 2026 in WITA (UTC+8). */
export const NOVEMBER = {
  start: new Date("2026-11-01T00:00:00+08:00"),
  end: new Date("2026-12-01T00:00:00+08:00"),
};

export interface SeededCase {
  kind: "U" | "P";
  village: string;
  species: string;
  count: number;
  signs: string[];
  syndrome: string | null;
  outcome: string | null;
  at: Date;
}

/** 40 cases in November, plus two outside it (one hour either side, in local time). */
export function datasetCases(): SeededCase[] {
  const cases: SeededCase[] = [];
  for (let index = 0; index < 40; index += 1) {
    const priority = index % 8 === 0;
    cases.push({
      kind: priority ? "P" : "U",
      village: VILLAGES[index % VILLAGES.length] as string,
      species: SPECIES[index % SPECIES.length] as string,
      count: 1 + (index % 7),
      signs: priority
        ? []
        : [SIGNS[index % SIGNS.length] as string, SIGNS[(index + 1) % SIGNS.length] as string],
      syndrome: priority ? (index % 16 === 0 ? "AI" : "PMK") : null,
      outcome: OUTCOMES[index % OUTCOMES.length] ?? null,
      // Spread over the month; the last one at 23:30 local on 30 November.
      at:
        index === 39
          ? new Date("2026-11-30T23:30:00+08:00")
          : new Date(NOVEMBER.start.getTime() + index * 17 * 3_600_000 + 3_600_000),
    });
  }
  for (const at of [new Date("2026-10-31T23:30:00+08:00"), new Date("2026-12-01T00:30:00+08:00")]) {
    cases.push({
      kind: "U",
      village: "72060202",
      species: "SP",
      count: 9,
      signs: ["DM"],
      syndrome: null,
      outcome: null,
      at,
    });
  }
  return cases;
}

export async function seedReportDataset(db: Database): Promise<void> {
  await seedReferenceData(db);
  await seedDemoData(db);
  const reporter = await userId(db, DEMO_USERS.village_reporter.phone);
  for (const item of datasetCases()) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, syndrome_code, outcome_code, reported_at)
       SELECT $1, $2, l.id, $4, $5, $6, $7, $8 FROM locations l WHERE l.code = $3
       RETURNING id::int`,
      [item.kind, reporter, item.village, item.species, item.count, item.syndrome, item.outcome, item.at],
    );
    for (const sign of item.signs) {
      await db.query("INSERT INTO case_signs (case_id, sign_code) VALUES ($1, $2)", [rows[0]?.id, sign]);
    }
  }
  const abattoir = await userId(db, DEMO_USERS.abattoir_reporter.phone);
  for (const [day, species, male, female, productive] of [
    ["2026-11-03", "SP", 12, 4, 1],
    ["2026-11-03", "KB", 20, 10, 0],
    ["2026-11-17", "SP", 8, 6, 2],
    ["2026-12-01", "SP", 99, 99, 0],
  ] as const) {
    await db.query(
      `INSERT INTO slaughter_reports (slaughterhouse_id, report_date, species_code, male_count, female_count, productive_female_count, reporter_id)
       SELECT id, $1, $2, $3, $4, $5, $6 FROM infrastructure WHERE code = 'RPH7206'`,
      [day, species, male, female, productive, abattoir],
    );
  }
  // Monthly workbook figures: November's goats stand instead of the goat RP days above,
  // October's are outside the period.
  const { rows: uploads } = await db.query<{ id: number }>(
    `INSERT INTO uploads (template_code, template_version, user_id, sender_address, message_id, file_name,
       content_sha256, received_at)
     VALUES ('monthly_slaughter', 1, $1, 'rph@example.org', '<monthly@example.org>', 'rph.xlsx', repeat('b', 64),
       '2026-12-01T02:00:00Z')
     RETURNING id::int`,
    [abattoir],
  );
  for (const [month, species, male, female, productive] of [
    ["2026-11-01", "KB", 35, 15, 3],
    ["2026-10-01", "SP", 77, 77, 7],
  ] as const) {
    await db.query(
      `INSERT INTO monthly_slaughter_reports (slaughterhouse_id, month, species_code, male_count, female_count,
         productive_female_count, reporter_id, upload_id)
       SELECT id, $1, $2, $3, $4, $5, $6, $7 FROM infrastructure WHERE code = 'RPH7206'`,
      [month, species, male, female, productive, abattoir, uploads[0]?.id],
    );
  }
  const paravet = await userId(db, DEMO_USERS.paravet.phone);
  for (const [day, village, species, primary, booster] of [
    ["2026-11-10", "72060201", "SP", 30, 5],
    ["2026-11-11", "72060203", "KB", 14, 0],
  ] as const) {
    await db.query(
      `INSERT INTO vaccination_reports (program_id, location_id, vaccinated_on, species_code, primary_count, booster_count, reporter_id)
       SELECT p.id, l.id, $1, $3, $4, $5, $6 FROM programs p, locations l WHERE p.code = '101' AND l.code = $2`,
      [day, village, species, primary, booster, paravet],
    );
  }
}

export async function userId(db: Database, phone: string): Promise<number> {
  const { rows } = await db.query<{ user_id: number }>(
    "SELECT user_id::int FROM contacts WHERE channel = 'sms' AND address = $1",
    [phone],
  );
  const id = rows[0]?.user_id;
  if (id === undefined) throw new Error(`no demo user with phone ${phone}`);
  return id;
}
