// Monthly slaughter figures: one report per slaughterhouse, month and species; a later
// report replaces the earlier one (soft delete, then insert).
import { monthlySlaughter } from "@isikhnas/domain";
import { stagingTableOf } from "../staging.js";
import { expectEveryRowLanded } from "./landed.js";
import type { ImportContext, Importer, ImportResult } from "./types.js";

const STAGED = stagingTableOf(monthlySlaughter, "slaughter");

async function importAll({ tx, uploadId, userId }: ImportContext): Promise<ImportResult> {
  await tx.query(
    `UPDATE slaughter_reports r SET deleted_at = now(), deleted_by = $1
     FROM ${STAGED} s JOIN infrastructure i
       ON i.code = s.slaughterhouse AND i.kind = 'slaughterhouse' AND i.deleted_at IS NULL
     WHERE r.slaughterhouse_id = i.id AND r.report_date = s.month AND r.species_code = s.species
       AND r.deleted_at IS NULL`,
    [userId],
  );
  const inserted = await tx.query(
    `INSERT INTO slaughter_reports (slaughterhouse_id, report_date, species_code, male_count, female_count,
       productive_female_count, reporter_id, upload_id, created_by)
     SELECT i.id, s.month, s.species, s.male, s.female, s.productive_female, $1, $2, $1
     FROM ${STAGED} s
     JOIN infrastructure i ON i.code = s.slaughterhouse AND i.kind = 'slaughterhouse' AND i.deleted_at IS NULL`,
    [userId, uploadId],
  );
  const reports = inserted.rowCount ?? 0;
  await expectEveryRowLanded(tx, "monthly slaughter", STAGED, reports);
  return { counts: { reports }, submissionIds: [] };
}

export const importMonthlySlaughter: Importer = { finish: (context) => importAll(context) };
