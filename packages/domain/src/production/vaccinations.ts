// The one writer of vaccination_reports, for VAK messages and vaccination tally workbooks
// alike: one row per program, day, village and species vaccinated. Rows stand alone (no
// key they could collide on).
import type { Queryable } from "@isikhnas/platform";
import { type Columns, type Origin, originValues, type RowSource, writeFrom } from "./rows.js";

export interface VaccinationRow {
  /** VaccinationRow program code. */
  program: string;
  /** The local day, YYYY-MM-DD. */
  date: string;
  /** Village code. */
  village: string;
  species: string;
  primary: number;
  booster: number;
  vaccinator: string | null;
}

const COLUMNS: Columns<VaccinationRow> = {
  program: "text",
  date: "date",
  village: "text",
  species: "text",
  primary: "integer",
  booster: "integer",
  vaccinator: "text",
};

/** Writes the vaccinations; returns the rows written (a retired program's or village's are not). */
export function recordVaccinations(
  tx: Queryable,
  source: RowSource<VaccinationRow>,
  origin: Origin,
): Promise<number> {
  return writeFrom(
    tx,
    `INSERT INTO vaccination_reports (program_id, location_id, vaccinated_on, species_code, primary_count,
       booster_count, vaccinator, reporter_id, inbound_message_id, upload_id, created_by)
     SELECT p.id, l.id, s.date, s.species, s."primary", s.booster, s.vaccinator, $1, $2, $3, $1
     FROM {source}
     JOIN programs p ON p.code = s.program AND p.kind = 'vaccination' AND p.deleted_at IS NULL
     JOIN locations l ON l.code = s.village AND l.deleted_at IS NULL`,
    [origin.reporterId, ...originValues(origin)],
    source,
    COLUMNS,
  );
}
