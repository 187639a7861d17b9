// Answers to uploads sent to the training alias say they are training.
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { metadata, VACCINATION_HEADER, vaccinationRows, workbookBuffer } from "@isikhnas/workbooks/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, startHarness } from "./testing/harness.js";

let training: TestStack;
let harness: Harness;

beforeAll(async () => {
  training = await createTestStack();
  const db = training.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
  harness = await startHarness({ TRAINING_DATABASE_URL: training.databaseUrl });
});

afterAll(async () => {
  await harness?.close();
  await training?.close();
});

it("answers a training upload with TRAINING_SYSTEM_TAG, and imports it into training only", async () => {
  const file = await workbookBuffer([
    { name: "Vaksinasi", rows: [VACCINATION_HEADER, ...vaccinationRows(3)] },
    metadata("vaccination_tally"),
  ]);
  const message = await harness.mail(file, { from: DEMO_USERS.paravet.email, environment: "training" });
  const answer = await waitFor(
    async () => (await harness.outbox.poll()).find((mail) => mail.inReplyTo === message.messageId),
    { description: "the answer" },
  );
  expect(answer.subject).toMatch(/^\[iSIKHNAS TRAINING\] Berhasil disimpan: /);
  const count = async (db: { query: Harness["db"]["query"] }) =>
    (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM uploads")).rows[0]?.n;
  expect(await count(training.openDatabase())).toBe(1);
  expect(await count(harness.db)).toBe(0);
});
