// Lab submissions and results. Submissions and their specimens are written by the table's
// write module in the domain (as LAB is): rows sharing case, lab and date are one
// submission, each row a specimen. Results attach to specimens by sample id (new ones from this file or
// earlier ones); a later result of the same test replaces the earlier one.
import { labSubmissions, recordLabSubmissions } from "@isikhnas/domain";
import { stagingTableOf } from "../staging.js";
import { expectEveryRowLanded } from "./landed.js";
import type { ImportContext, Importer, ImportResult } from "./types.js";

const SUBMISSIONS = stagingTableOf(labSubmissions, "submissions");
const RESULTS = stagingTableOf(labSubmissions, "results");

async function importAll({ tx, uploadId, userId }: ImportContext): Promise<ImportResult> {
  const written = await recordLabSubmissions(tx, { staged: SUBMISSIONS }, { reporterId: userId, uploadId });
  // Each submissions row is one specimen.
  await expectEveryRowLanded(tx, "lab specimens", SUBMISSIONS, written.specimens);
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
      submissions: written.submissionIds.length,
      specimens: written.specimens,
      results: results.rowCount ?? 0,
    },
    submissionIds: written.submissionIds,
  };
}

export const importLabSubmissions: Importer = { finish: (context) => importAll(context) };
