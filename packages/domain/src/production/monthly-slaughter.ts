// The one writer of monthly_slaughter_reports: a slaughterhouse's total for a month and
// species (the monthly workbook). A later report replaces the earlier one, which is kept
// soft-deleted. Days are another fact, in slaughter_reports (daily-slaughter.ts).
import type { Queryable } from "@isikhnas/platform";
import { type Columns, type Origin, type RowSource, writeFrom } from "./rows.js";

export interface MonthlySlaughterRow {
  /** Slaughterhouse code. */
  slaughterhouse: string;
  /** The first day of the month, YYYY-MM-01. */
  month: string;
  species: string;
  male: number;
  female: number;
  productive_female: number | null;
}

const COLUMNS: Columns<MonthlySlaughterRow> = {
  slaughterhouse: "text",
  month: "date",
  species: "text",
  male: "integer",
  female: "integer",
  productive_female: "integer",
};

/** Replaces the months' figures; returns the rows written (a retired slaughterhouse's are not). */
export async function replaceMonthlySlaughter(
  tx: Queryable,
  source: RowSource<MonthlySlaughterRow>,
  origin: Origin & { uploadId: number },
): Promise<number> {
  await writeFrom(
    tx,
    `UPDATE monthly_slaughter_reports r SET deleted_at = now(), deleted_by = $1
     FROM {source} JOIN infrastructure i
       ON i.code = s.slaughterhouse AND i.kind = 'slaughterhouse' AND i.deleted_at IS NULL
     WHERE r.slaughterhouse_id = i.id AND r.month = s.month AND r.species_code = s.species
       AND r.deleted_at IS NULL`,
    [origin.reporterId],
    source,
    COLUMNS,
  );
  return writeFrom(
    tx,
    `INSERT INTO monthly_slaughter_reports (slaughterhouse_id, month, species_code, male_count, female_count,
       productive_female_count, reporter_id, upload_id, created_by)
     SELECT i.id, s.month, s.species, s.male, s.female, s.productive_female, $1, $2, $1
     FROM {source}
     JOIN infrastructure i ON i.code = s.slaughterhouse AND i.kind = 'slaughterhouse' AND i.deleted_at IS NULL`,
    [origin.reporterId, origin.uploadId],
    source,
    COLUMNS,
  );
}
