// Vaccination tallies: one report row per staged row.
import type { ImportContext, ImportResult } from "./types.js";

export async function importVaccinationTally({ tx, uploadId, userId }: ImportContext): Promise<ImportResult> {
  const inserted = await tx.query(
    `INSERT INTO vaccination_reports (program_id, location_id, vaccinated_on, species_code, primary_count,
       booster_count, vaccinator, reporter_id, upload_id, created_by)
     SELECT p.id, l.id, s.date, s.species, s."primary", s.booster, s.vaccinator, $1, $2, $1
     FROM staged_vaccination s
     JOIN programs p ON p.code = s.program AND p.kind = 'vaccination' AND p.deleted_at IS NULL
     JOIN locations l ON l.code = s.village AND l.deleted_at IS NULL`,
    [userId, uploadId],
  );
  return { counts: { reports: inserted.rowCount ?? 0 }, submissionIds: [] };
}
