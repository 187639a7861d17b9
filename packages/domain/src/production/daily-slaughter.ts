// The one writer of slaughter_reports: what a slaughterhouse slaughtered on one day (RP).
// A later report of the same day and species replaces the earlier one: the latest count
// wins. Months are another fact, in monthly_slaughter_reports (monthly-slaughter.ts).
import type { Queryable } from "@isikhnas/platform";
import { type Columns, type Origin, originValues, type RowSource, writeFrom } from "./rows.js";

export interface DailySlaughterRow {
  /** Slaughterhouse code. */
  slaughterhouse: string;
  /** The local day, YYYY-MM-DD. */
  date: string;
  species: string;
  male: number;
  female: number;
}

const COLUMNS: Columns<DailySlaughterRow> = {
  slaughterhouse: "text",
  date: "date",
  species: "text",
  male: "integer",
  female: "integer",
};

/** Writes the day's figures; returns the rows written (a retired slaughterhouse's are not). */
export function recordDailySlaughter(
  tx: Queryable,
  source: RowSource<DailySlaughterRow>,
  origin: Origin & { inboundMessageId: number },
): Promise<number> {
  const [inboundMessageId] = originValues(origin);
  return writeFrom(
    tx,
    `INSERT INTO slaughter_reports (slaughterhouse_id, report_date, species_code, male_count, female_count,
                                    reporter_id, inbound_message_id, created_by)
     SELECT i.id, s.date, s.species, s.male, s.female, $1, $2, $1
     FROM {source}
     JOIN infrastructure i ON i.code = s.slaughterhouse AND i.kind = 'slaughterhouse' AND i.deleted_at IS NULL
     ON CONFLICT (slaughterhouse_id, report_date, species_code) WHERE deleted_at IS NULL
     DO UPDATE SET male_count = EXCLUDED.male_count, female_count = EXCLUDED.female_count,
                   reporter_id = EXCLUDED.reporter_id, inbound_message_id = EXCLUDED.inbound_message_id,
                   modified_by = EXCLUDED.reporter_id`,
    [origin.reporterId, inboundMessageId],
    source,
    COLUMNS,
  );
}
