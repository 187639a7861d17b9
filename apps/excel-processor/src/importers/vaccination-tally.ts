// Vaccination tallies: one report row per staged row. Rows stand alone (no key in the
// table they could collide on), so they are imported in ranges while the workbook is read.
import { vaccinationTally } from "@isikhnas/domain";
import { stagingTableOf } from "../staging.js";
import { expectEveryRowLanded } from "./landed.js";
import type { ImportContext, Importer, ImportResult } from "./types.js";

const STAGED = stagingTableOf(vaccinationTally, "vaccination");

async function importRows({ tx, uploadId, userId }: ImportContext, range: { after: number; upTo: number }) {
  const inserted = await tx.query(
    `INSERT INTO vaccination_reports (program_id, location_id, vaccinated_on, species_code, primary_count,
       booster_count, vaccinator, reporter_id, upload_id, created_by)
     SELECT p.id, l.id, s.date, s.species, s."primary", s.booster, s.vaccinator, $1, $2, $1
     FROM ${STAGED} s
     JOIN programs p ON p.code = s.program AND p.kind = 'vaccination' AND p.deleted_at IS NULL
     JOIN locations l ON l.code = s.village AND l.deleted_at IS NULL
     WHERE s.row_number > $3 AND s.row_number <= $4`,
    [userId, uploadId, range.after, range.upTo],
  );
  return inserted.rowCount ?? 0;
}

export const importVaccinationTally: Importer = {
  importRows,
  // Every range was imported while reading.
  finish: async ({ tx }: ImportContext, rowsImported: number): Promise<ImportResult> => {
    await expectEveryRowLanded(tx, "vaccination tally", STAGED, rowsImported);
    return { counts: { reports: rowsImported }, submissionIds: [] };
  },
};
