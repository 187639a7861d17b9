// The one writer of population_counts: animals counted in a village on one day (POP). A
// later count of the same day, species and class replaces the earlier one.
import type { Queryable } from "@isikhnas/platform";
import { type Columns, type Origin, originValues, type RowSource, writeFrom } from "./rows.js";

export interface PopulationCountRow {
  /** Village code. */
  village: string;
  /** The local day, YYYY-MM-DD. */
  date: string;
  species: string;
  count: number;
}

const COLUMNS: Columns<PopulationCountRow> = {
  village: "text",
  date: "date",
  species: "text",
  count: "integer",
};

/** Writes the counts; returns the rows written (a retired village's are not). */
export function recordPopulationCounts(
  tx: Queryable,
  source: RowSource<PopulationCountRow>,
  origin: Origin & { inboundMessageId: number },
): Promise<number> {
  const [inboundMessageId] = originValues(origin);
  return writeFrom(
    tx,
    `INSERT INTO population_counts (location_id, counted_on, species_code, animal_count, reporter_id,
                                    inbound_message_id, created_by)
     SELECT l.id, s.date, s.species, s.count, $1, $2, $1
     FROM {source}
     JOIN locations l ON l.code = s.village AND l.deleted_at IS NULL
     ON CONFLICT (location_id, counted_on, species_code, (coalesce(class_code, ''))) WHERE deleted_at IS NULL
     DO UPDATE SET animal_count = EXCLUDED.animal_count, reporter_id = EXCLUDED.reporter_id,
                   inbound_message_id = EXCLUDED.inbound_message_id, modified_by = EXCLUDED.reporter_id`,
    [origin.reporterId, inboundMessageId],
    source,
    COLUMNS,
  );
}
