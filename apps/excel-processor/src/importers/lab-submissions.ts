// Lab submissions and results. Rows sharing case, lab and date are one submission; each
// row is a specimen. Results attach to specimens by sample id (new ones from this file or
// earlier ones); a later result of the same test replaces the earlier one.
import { labSubmissions } from "@isikhnas/domain";
import { stagingTableOf } from "../staging.js";
import { expectEveryRowLanded } from "./landed.js";
import type { ImportContext, Importer, ImportResult } from "./types.js";

const SUBMISSIONS = stagingTableOf(labSubmissions, "submissions");
const RESULTS = stagingTableOf(labSubmissions, "results");

async function importAll({ tx, uploadId, userId }: ImportContext): Promise<ImportResult> {
  const submissions = await tx.query<{ id: string }>(
    `INSERT INTO lab_submissions (case_id, lab_id, submitted_by, submitted_at, upload_id, upload_row, created_by)
     SELECT s.case_id::bigint, i.id, $1, (s.date::timestamp AT TIME ZONE 'Asia/Jakarta'), $2, min(s.row_number), $1
     FROM ${SUBMISSIONS} s JOIN infrastructure i ON i.code = s.lab AND i.kind = 'lab' AND i.deleted_at IS NULL
     GROUP BY s.case_id, i.id, s.date
     ORDER BY min(s.row_number)
     RETURNING id`,
    [userId, uploadId],
  );
  const specimens = await tx.query(
    `INSERT INTO specimens (submission_id, specimen_type_code, form_code, section_code, specimen_count, sample_ref, created_by)
     SELECT ls.id, s.specimen_type, s.specimen_form, s.section, s.count, s.sample_id, $2
     FROM ${SUBMISSIONS} s
     JOIN infrastructure i ON i.code = s.lab AND i.kind = 'lab'
     JOIN lab_submissions ls ON ls.upload_id = $1 AND ls.case_id = s.case_id::bigint AND ls.lab_id = i.id
       AND ls.submitted_at = (s.date::timestamp AT TIME ZONE 'Asia/Jakarta')
     ORDER BY s.row_number`,
    [uploadId, userId],
  );
  // Each submissions row is one specimen.
  await expectEveryRowLanded(tx, "lab specimens", SUBMISSIONS, specimens.rowCount ?? 0);
  await tx.query(
    `INSERT INTO case_events (case_id, kind, user_id, occurred_at, detail, created_by)
     SELECT case_id, 'lab', $2, submitted_at, jsonb_build_object('submissionId', id, 'uploadId', $1::bigint), $2
     FROM lab_submissions WHERE upload_id = $1`,
    [uploadId, userId],
  );
  await tx.query(
    `UPDATE lab_results r SET deleted_at = now(), deleted_by = $1
     FROM ${RESULTS} s JOIN specimens sp ON sp.sample_ref = s.sample_id AND sp.deleted_at IS NULL
     WHERE r.specimen_id = sp.id AND r.test = s.test AND r.deleted_at IS NULL`,
    [userId],
  );
  const results = await tx.query(
    `INSERT INTO lab_results (specimen_id, test, result, result_date, created_by)
     SELECT sp.id, s.test, s.result, s.date, $1
     FROM ${RESULTS} s JOIN specimens sp ON sp.sample_ref = s.sample_id AND sp.deleted_at IS NULL
     ORDER BY s.row_number`,
    [userId],
  );
  await expectEveryRowLanded(tx, "lab results", RESULTS, results.rowCount ?? 0);
  return {
    counts: {
      submissions: submissions.rowCount ?? 0,
      specimens: specimens.rowCount ?? 0,
      results: results.rowCount ?? 0,
    },
    submissionIds: submissions.rows.map((row) => Number(row.id)),
  };
}

export const importLabSubmissions: Importer = { finish: (context) => importAll(context) };
