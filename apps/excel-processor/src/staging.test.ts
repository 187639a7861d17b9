// The database checks over staged rows, against a real database: every kind of check
// (references, places inside the sender's areas, location lists, contacts and sample ids
// that must be new, a reference found in another sheet, keys repeated within a sheet)
// flags the cells it should and no others.
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import {
  DEMO_USERS,
  labSubmissions,
  type SheetDefinition,
  seedDemoData,
  seedReferenceData,
  type TemplateDefinition,
  userRegistration,
} from "@isikhnas/domain";
import type { Database, Transaction } from "@isikhnas/platform";
import type { SheetLayout } from "@isikhnas/workbooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStagedRows, createStagingTables, ident, stagingTable } from "./staging.js";

let stack: TestStack;
let db: Database;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase({ poolMax: 2 });
  await seedReferenceData(db);
  await seedDemoData(db);
});
afterAll(async () => {
  await stack?.close();
});

async function userId(email: string): Promise<number> {
  const result = await db.query<{ user_id: string }>(
    "SELECT user_id FROM contacts WHERE channel = 'email' AND address = $1",
    [email],
  );
  return Number(result.rows[0]?.user_id);
}

/** The layout of a sheet whose columns sit in the definition's order from column A. */
function layoutOf(sheet: SheetDefinition): SheetLayout {
  return {
    definition: sheet,
    name: sheet.name.id,
    headerRow: 1,
    positions: new Map(sheet.columns.map((column, index) => [column.key, index + 1])),
  };
}

/** Stages rows (by column key, numbered from row 2) and runs the checks; rolls everything back. */
async function check(
  template: TemplateDefinition,
  sheets: Record<string, Record<string, string | number | null>[]>,
  senderId: number,
): Promise<string[]> {
  let found: string[] = [];
  await db
    .transaction(async (tx: Transaction) => {
      await createStagingTables(tx, template);
      const layouts = new Map<string, SheetLayout>();
      for (const sheet of template.sheets) {
        const rows = sheets[sheet.key];
        if (!rows) continue;
        layouts.set(sheet.key, layoutOf(sheet));
        for (const [index, row] of rows.entries()) {
          const keys = Object.keys(row);
          await tx.query(
            `INSERT INTO ${stagingTable(sheet)} (row_number, ${keys.map(ident).join(", ")})
             VALUES ($1, ${keys.map((_, position) => `$${position + 2}`).join(", ")})`,
            [index + 2, ...keys.map((key) => row[key])],
          );
        }
      }
      const errors = await checkStagedRows(tx, template, layouts, { senderId, limit: 100 });
      found = errors
        .map((error) => `${error.sheet}!${error.row}:${error.column} ${error.value} — ${error.problem.en}`)
        .sort();
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return found;
}

class Rollback extends Error {}

describe("the database checks of staged rows", () => {
  it("flags registrations whose contacts exist, places are unknown or outside the areas, or repeat", async () => {
    const sender = await userId(DEMO_USERS.district_vet.email);
    const user = (phone: string, extra: Record<string, string | null> = {}) => ({
      first_name: "Nama",
      phone,
      email: null,
      location: "72060201",
      areas: null,
      user_type: "village_reporter",
      ...extra,
    });
    const errors = await check(
      userRegistration,
      {
        users: [
          user("6281299900001", { email: "baru@example.org", areas: "72060201,72060202" }),
          user(DEMO_USERS.paravet.phone),
          user("6281299900003", { email: DEMO_USERS.paravet.email }),
          user("6281299900004", { location: "73080101" }),
          user("6281299900005", { location: "72069999" }),
          user("6281299900006", { user_type: "astronaut" }),
          user("6281299900001"),
        ],
      },
      sender,
    );
    expect(errors).toEqual(
      [
        `Registrasi!3:4 ${DEMO_USERS.paravet.phone} — Phone number already registered`,
        `Registrasi!4:5 ${DEMO_USERS.paravet.email} — E-mail already registered`,
        "Registrasi!5:6 73080101 — Outside your areas of responsibility",
        "Registrasi!6:6 72069999 — No such village",
        "Registrasi!7:8 astronaut — Unknown user type",
        "Registrasi!8:4 6281299900001 — The same phone number is on another row (row 2)",
      ].sort(),
    );
  });

  it("flags a list of areas naming a location that does not exist", async () => {
    const sender = await userId(DEMO_USERS.district_vet.email);
    const errors = await check(
      userRegistration,
      {
        users: [
          {
            first_name: "Nama",
            phone: "6281299900011",
            location: "72060201",
            areas: "72060201,72069999",
            user_type: "village_reporter",
          },
          {
            first_name: "Nama",
            phone: "6281299900012",
            location: "72060201",
            areas: "7206,720602",
            user_type: "village_reporter",
          },
        ],
      },
      sender,
    );
    expect(errors).toEqual(["Registrasi!2:7 72060201,72069999 — A location code is unknown"]);
  });

  it("flags lab rows with unknown cases and labs, known sample ids, and results for no known sample", async () => {
    const sender = await userId(DEMO_USERS.lab_staff.email);
    const submission = (sampleId: string, extra: Record<string, string | number | null> = {}) => ({
      case_id: null,
      date: "2025-01-02",
      village: "73080101",
      species: "SP",
      specimen_type: "SER",
      specimen_form: "SG",
      section: "VIR",
      count: 1,
      lab: "730801",
      sample_id: sampleId,
      ...extra,
    });
    const errors = await check(
      labSubmissions,
      {
        submissions: [
          submission("S-1"),
          submission("S-2", { case_id: "999999999" }),
          submission("S-3", { case_id: "abc" }),
          submission("S-4", { lab: "000000" }),
        ],
        results: [
          { sample_id: "S-1", test: "PCR", result: "negatif", date: "2025-01-05" },
          { sample_id: "S-9", test: "PCR", result: "negatif", date: "2025-01-05" },
        ],
      },
      sender,
    );
    expect(errors).toEqual(
      [
        "Pengiriman!3:1 999999999 — No such case",
        "Pengiriman!4:1 abc — No such case",
        "Pengiriman!5:9 000000 — Unknown laboratory",
        "Hasil!3:1 S-9 — No such sample",
      ].sort(),
    );
  });
});
