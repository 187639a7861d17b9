// The one writer of lab_submissions and their specimens, for LAB messages and lab
// workbooks alike: the rows of one case, lab and submission time are one submission, each
// row one specimen, and each submission a 'lab' event of its case.
import type { Queryable } from "@isikhnas/platform";
import { type Columns, type Origin, type RowSource, sourceRelation } from "./rows.js";

export interface SpecimenRow {
  case_id: string;
  /** The local day the specimens were sent, YYYY-MM-DD. */
  date: string;
  /** Lab code. */
  lab: string;
  specimen_type: string;
  specimen_form: string;
  section: string | null;
  count: number;
  /** The lab's own sample number, unique among live specimens. */
  sample_id: string | null;
}

const COLUMNS: Columns<SpecimenRow> = {
  case_id: "text",
  date: "date",
  lab: "text",
  specimen_type: "text",
  specimen_form: "text",
  section: "text",
  count: "integer",
  sample_id: "text",
};

/**
 * An SMS's submission is stamped with the moment the message arrived; a workbook's with
 * the start of its row's day (the sheet holds no time).
 */
export type LabOrigin =
  | (Origin & { readonly inboundMessageId: number; readonly receivedAt: Date })
  | (Origin & { readonly uploadId: number });

export interface LabSubmissionsWritten {
  /** In the order of each submission's first row. */
  submissionIds: number[];
  specimens: number;
}

/** Writes the submissions; a retired lab's rows are not written (compare `specimens` with the rows). */
export async function recordLabSubmissions(
  tx: Queryable,
  source: RowSource<SpecimenRow>,
  origin: LabOrigin,
): Promise<LabSubmissionsWritten> {
  const relation = sourceRelation(source, COLUMNS, 5);
  const receivedAt = "receivedAt" in origin ? origin.receivedAt : null;
  const result = await tx.query<{ ids: string[] | null; specimens: number }>(
    `WITH keyed AS (
       SELECT s.*, s.case_id::bigint AS case_key, i.id AS lab_id,
              coalesce($4::timestamptz, s.date::timestamp AT TIME ZONE 'Asia/Jakarta') AS submitted_at
       FROM ${relation.from}
       JOIN infrastructure i ON i.code = s.lab AND i.kind = 'lab' AND i.deleted_at IS NULL
     ), submission AS (
       INSERT INTO lab_submissions (case_id, lab_id, submitted_by, submitted_at, inbound_message_id,
                                    upload_id, upload_row, created_by)
       SELECT case_key, lab_id, $1, submitted_at, $2, $3, CASE WHEN $3::bigint IS NOT NULL THEN min(row_number) END, $1
       FROM keyed GROUP BY case_key, lab_id, submitted_at
       ORDER BY min(row_number)
       RETURNING id, case_id, lab_id, submitted_at
     ), ordered AS (
       SELECT sub.id, sub.case_id, sub.submitted_at, min(k.lab) AS lab, min(k.row_number) AS first_row
       FROM submission sub
       JOIN keyed k ON k.case_key = sub.case_id AND k.lab_id = sub.lab_id AND k.submitted_at = sub.submitted_at
       GROUP BY sub.id, sub.case_id, sub.submitted_at
     ), specimen_rows AS (
       INSERT INTO specimens (submission_id, specimen_type_code, form_code, section_code, specimen_count,
                              sample_ref, created_by)
       SELECT sub.id, k.specimen_type, k.specimen_form, k.section, k.count, k.sample_id, $1
       FROM keyed k
       JOIN submission sub ON sub.case_id = k.case_key AND sub.lab_id = k.lab_id AND sub.submitted_at = k.submitted_at
       ORDER BY k.row_number
       RETURNING 1
     ), events AS (
       INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at, detail, created_by)
       SELECT case_id, 'lab', $1, $2, submitted_at,
              jsonb_strip_nulls(jsonb_build_object('submissionId', id, 'lab', lab, 'uploadId', $3::bigint)), $1
       FROM ordered ORDER BY first_row
     )
     SELECT (SELECT array_agg(id ORDER BY first_row) FROM ordered) AS ids,
            (SELECT count(*)::int FROM specimen_rows) AS specimens`,
    [
      origin.reporterId,
      origin.inboundMessageId ?? null,
      origin.uploadId ?? null,
      receivedAt,
      ...relation.values,
    ],
  );
  const row = result.rows[0];
  return { submissionIds: (row?.ids ?? []).map(Number), specimens: row?.specimens ?? 0 };
}
