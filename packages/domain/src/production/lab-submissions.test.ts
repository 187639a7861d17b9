// The one writer of lab_submissions and specimens, called as the LAB command and the lab
// workbook call it: rows given by value, against the demo data.
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineFixture, type EngineFixture } from "../testing/engine.js";
import { recordLabSubmissions, type SpecimenRow } from "./lab-submissions.js";

let fx: EngineFixture;
let caseId: string;
let caseMessageId: number;
let reporterId: number;

beforeAll(async () => {
  fx = await createEngineFixture();
  const created = await fx.send("paravet", "U mc sp 3 72060202");
  caseMessageId = created.inboundMessageId;
  const found = await fx.db.query<{ case_id: string }>(
    "SELECT case_id::text FROM inbound_messages WHERE id = $1",
    [caseMessageId],
  );
  caseId = found.rows[0]?.case_id ?? "";
  reporterId = await fx.userId("lab_staff");
});
afterAll(async () => {
  await fx.close();
});

function specimen(overrides: Partial<SpecimenRow>): SpecimenRow {
  return {
    case_id: caseId,
    date: "2025-06-01",
    lab: "730801",
    specimen_type: "FES",
    specimen_form: "SG",
    section: null,
    count: 1,
    sample_id: null,
    ...overrides,
  };
}

async function newUpload(): Promise<number> {
  const result = await fx.db.query<{ id: number }>(
    `INSERT INTO uploads (user_id, sender_address, message_id, file_name, content_sha256)
     VALUES ($1, 'lab@example.org', $2, 'lab.xlsx', $3) RETURNING id::int`,
    [
      reporterId,
      `<lab-${randomUUID()}@example.org>`,
      createHash("sha256").update(randomUUID()).digest("hex"),
    ],
  );
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error("no upload row");
  return id;
}

describe("recordLabSubmissions", () => {
  it("makes one submission per case, lab and day of a workbook, in row order, with every specimen", async () => {
    const uploadId = await newUpload();
    const written = await fx.db.transaction((tx) =>
      recordLabSubmissions(
        tx,
        {
          rows: [
            specimen({ lab: "737101", date: "2025-06-02", sample_id: "S-3", count: 4 }),
            specimen({ sample_id: "S-1", section: "PAR", count: 2 }),
            specimen({ sample_id: "S-2" }),
          ],
        },
        { reporterId, uploadId },
      ),
    );
    expect(written.specimens).toBe(3);
    expect(written.submissionIds).toHaveLength(2);

    const submissions = await fx.db.query(
      `SELECT ls.id::int, i.code AS lab, ls.submitted_at, ls.upload_row, ls.inbound_message_id,
              array(SELECT sample_ref FROM specimens WHERE submission_id = ls.id ORDER BY id) AS samples
       FROM lab_submissions ls JOIN infrastructure i ON i.id = ls.lab_id
       WHERE ls.upload_id = $1 ORDER BY ls.upload_row`,
      [uploadId],
    );
    expect(submissions.rows).toEqual([
      {
        id: written.submissionIds[0],
        lab: "737101",
        submitted_at: new Date("2025-06-01T17:00:00Z"),
        upload_row: 1,
        inbound_message_id: null,
        samples: ["S-3"],
      },
      {
        id: written.submissionIds[1],
        lab: "730801",
        submitted_at: new Date("2025-05-31T17:00:00Z"),
        upload_row: 2,
        inbound_message_id: null,
        samples: ["S-1", "S-2"],
      },
    ]);
    const events = await fx.db.query(
      `SELECT detail, occurred_at FROM case_events
       WHERE kind = 'lab' AND (detail->>'submissionId')::bigint = ANY($1::bigint[]) ORDER BY id`,
      [written.submissionIds],
    );
    expect(events.rows.map((row) => row.detail)).toEqual([
      { submissionId: written.submissionIds[0], lab: "737101", uploadId },
      { submissionId: written.submissionIds[1], lab: "730801", uploadId },
    ]);
  });

  it("stamps an SMS's submission with the time it arrived and its message", async () => {
    const arrived = new Date("2025-06-02T03:04:05Z");
    const written = await fx.db.transaction((tx) =>
      recordLabSubmissions(
        tx,
        {
          rows: [
            specimen({ date: "2025-06-02", count: 2 }),
            specimen({ date: "2025-06-02", specimen_form: "DG" }),
          ],
        },
        { reporterId, inboundMessageId: caseMessageId, receivedAt: arrived },
      ),
    );
    expect(written).toEqual({ submissionIds: [expect.any(Number)], specimens: 2 });
    const stored = await fx.db.query(
      `SELECT ls.submitted_at, ls.upload_id, ls.upload_row, ce.inbound_message_id AS event_message,
              ce.occurred_at, ce.detail
       FROM lab_submissions ls JOIN case_events ce ON ce.kind = 'lab' AND (ce.detail->>'submissionId')::bigint = ls.id
       WHERE ls.inbound_message_id = $1`,
      [caseMessageId],
    );
    expect(stored.rows).toEqual([
      {
        submitted_at: arrived,
        upload_id: null,
        upload_row: null,
        event_message: caseMessageId,
        occurred_at: arrived,
        detail: { submissionId: written.submissionIds[0], lab: "730801" },
      },
    ]);
  });

  it("writes nothing for a retired lab, so the caller sees fewer specimens than rows", async () => {
    const uploadId = await newUpload();
    const written = await fx.db.transaction(async (tx) => {
      await tx.query("UPDATE infrastructure SET deleted_at = now() WHERE code = '737101'");
      const result = await recordLabSubmissions(
        tx,
        { rows: [specimen({ lab: "737101" })] },
        { reporterId, uploadId },
      );
      await tx.query("UPDATE infrastructure SET deleted_at = NULL WHERE code = '737101'");
      return result;
    });
    expect(written).toEqual({ submissionIds: [], specimens: 0 });
  });
});
