// Every checked row must land. The checks run against the reference data (villages,
// programs, labs, slaughterhouses) as committed at that moment; each import statement sees
// what is committed when it starts, so one retired in between would make a join drop the
// row without a word. Counting what landed against what was staged turns that into a
// rollback and a retry, after which the checks tell the sender about the row.
import type { Transaction } from "@isikhnas/platform";

/**
 * Reference data a checked row relies on changed between the checks and the import (a
 * slaughterhouse taken out of service, say). Thrown to roll the import back; the message
 * is then handled again, and the checks answer the sender about the row.
 */
export class ReferenceDataChanged extends Error {
  constructor(what: string, staged: number, imported: number) {
    super(`${what}: ${imported} of ${staged} checked rows still match the reference data`);
    this.name = "ReferenceDataChanged";
  }
}

/** Throws ReferenceDataChanged unless `landed` equals the number of rows in `stagingTable`. */
export async function expectEveryRowLanded(
  tx: Transaction,
  what: string,
  stagingTable: string,
  landed: number,
): Promise<void> {
  const result = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${stagingTable}`);
  const staged = result.rows[0]?.n ?? 0;
  if (landed !== staged) throw new ReferenceDataChanged(what, staged, landed);
}
