// Every checked row of a workbook must land: the staged rows are what was checked, so
// their count is what the import must have written (see ReferenceDataChanged).
import { expectEveryRowWritten } from "@isikhnas/domain";
import type { Transaction } from "@isikhnas/platform";

/** Throws ReferenceDataChanged unless `landed` equals the number of rows in `stagingTable`. */
export async function expectEveryRowLanded(
  tx: Transaction,
  what: string,
  stagingTable: string,
  landed: number,
): Promise<void> {
  const result = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${stagingTable}`);
  expectEveryRowWritten(what, result.rows[0]?.n ?? 0, landed);
}
