import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import type { Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleInboundMessage } from "../engine/handle.js";
import { findUserByContact, userMayUpload, userMayUploadAny } from "../people/queries.js";
import { CODE_LISTS } from "./code-lists.js";
import { DEMO_USERS, seedDemoData } from "./demo.js";
import { seedReferenceData } from "./seed.js";

// Every test but the first reads a database seeded once here; none relies on what
// another test wrote, so each passes alone.
let stack: TestStack;
let db: Database;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
});
afterAll(async () => {
  await stack.close();
});

async function counts(db: Database) {
  const result = await db.query(
    `SELECT (SELECT count(*) FROM codes) AS codes, (SELECT count(*) FROM command_permissions) AS permissions,
            (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM contacts) AS contacts,
            (SELECT count(*) FROM locations) AS locations, (SELECT count(*) FROM user_areas) AS areas`,
  );
  return result.rows[0];
}

describe("reference and demo data", () => {
  it("loads once and is safe to load again", async () => {
    // A database of its own, unseeded: the counts must be of the seed alone.
    const own = await createTestStack();
    const ownDb = own.openDatabase();
    try {
      await seedReferenceData(ownDb);
      await seedDemoData(ownDb);
      const first = await counts(ownDb);
      await seedReferenceData(ownDb);
      await seedDemoData(ownDb);
      expect(await counts(ownDb)).toEqual(first);
      expect(first?.codes).toBe(CODE_LISTS.reduce((sum, list) => sum + list.codes.length, 0));
      expect(first?.users).toBe(Object.keys(DEMO_USERS).length);
      expect(first?.contacts).toBe(3 * Object.keys(DEMO_USERS).length);
    } finally {
      await own.close();
    }
  });

  it("keeps code lists as data: a new species works without a code change", async () => {
    await db.query(
      "INSERT INTO codes (list_code, code, label_id, label_en) VALUES ('SP', 'UN', 'Unta', 'camel')",
    );
    const result = await handleInboundMessage(db, {
      channel: "sms",
      sender: DEMO_USERS.village_reporter.phone,
      text: "U dm un 1",
      receivedAt: new Date("2025-06-02T02:00:00Z"),
      externalId: "new-species-1",
      environment: "live",
    });
    expect(result.reply?.body).toMatch(/\. 1 unta \(demam\) di Lemo/);
  });

  it("answers the daemons' questions about users and rights", async () => {
    const user = await findUserByContact(db, "sms", `0${DEMO_USERS.lab_staff.phone.slice(2)}`);
    expect(user).toMatchObject({
      name: DEMO_USERS.lab_staff.name,
      userType: "lab_staff",
      language: "id",
      active: true,
    });
    expect(user?.homeLocation.code).toBe("73080101");
    expect(user?.areaCodes.toSorted()).toEqual(["73", "73080101"]);
    expect(
      await findUserByContact(db, "email", ` ${DEMO_USERS.champion.email.toUpperCase()} `),
    ).toMatchObject({
      userType: "champion",
      language: "en",
      contactVerified: true,
    });
    expect(await findUserByContact(db, "sms", "081299999999")).toBeNull();
    expect(await findUserByContact(db, "sms", "not a phone")).toBeNull();
    if (!user) throw new Error("lab staff missing");
    expect(await userMayUpload(db, user.id, "lab_submissions")).toBe(true);
    expect(await userMayUpload(db, user.id, "monthly_slaughter")).toBe(false);
    expect(await userMayUploadAny(db, user.id)).toBe(true);
    const viewer = await findUserByContact(db, "im", DEMO_USERS.viewer.imId);
    if (!viewer) throw new Error("viewer missing");
    expect(await userMayUploadAny(db, viewer.id)).toBe(false);
    const { rows: commands } = await db.query<{ command_code: string }>(
      "SELECT command_code FROM command_permissions WHERE user_type = 'lab_staff' AND deleted_at IS NULL",
    );
    expect(commands.map((row) => row.command_code)).toContain("KODE");
    expect(commands.map((row) => row.command_code)).not.toContain("U");
  });
});

describe("constraints", () => {
  it.each([
    [
      "a village whose parent is not its code's prefix",
      "INSERT INTO locations (code, parent_code, name) VALUES ('72069901', '7201', 'X')",
    ],
    ["a location code of odd length", "INSERT INTO locations (code, name) VALUES ('720', 'X')"],
    [
      "a sign code in the species column",
      `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at)
       SELECT 'U', u.id, u.home_location_id, 'MC', 1, now() FROM users u LIMIT 1`,
    ],
    [
      "a case with no animals",
      `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at)
       SELECT 'U', u.id, u.home_location_id, 'SP', 0, now() FROM users u LIMIT 1`,
    ],
    [
      "a priority case without a syndrome",
      `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at)
       SELECT 'P', u.id, u.home_location_id, 'SP', 1, now() FROM users u LIMIT 1`,
    ],
    [
      "a phone not in international form",
      "INSERT INTO contacts (user_id, channel, address) SELECT id, 'sms', '0812345678' FROM users LIMIT 1",
    ],
    [
      "a second inbound message with the same external id",
      `INSERT INTO inbound_messages (channel, sender, text, received_at, external_id)
       VALUES ('sms', '1', 'x', now(), 'same'), ('sms', '1', 'x', now(), 'same')`,
    ],
    [
      "a slaughter report at a lab",
      `INSERT INTO slaughter_reports (slaughterhouse_id, report_date, species_code, male_count, female_count, reporter_id)
       SELECT i.id, current_date, 'SP', 1, 1, u.id FROM infrastructure i, users u WHERE i.kind = 'lab' LIMIT 1`,
    ],
  ])("refuse %s", async (_name, sql) => {
    await expect(db.query(sql)).rejects.toMatchObject({ code: expect.stringMatching(/^23/) });
  });

  it("numbers cases from 1000 so ids stay short", async () => {
    // The sequence itself, not the first stored case: a refused insert above spends a number.
    const sequence = await db.query<{ start: number }>(
      "SELECT seqstart::int AS start FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('cases', 'id')::regclass",
    );
    expect(sequence.rows[0]?.start).toBe(1000);
  });
});
