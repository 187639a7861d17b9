// What an importer gets and gives: the staged, checked rows of one upload go into the
// domain tables in the upload's transaction.
import type { Transaction } from "@isikhnas/platform";

export interface ImportContext {
  tx: Transaction;
  uploadId: number;
  userId: number;
}

export interface ImportResult {
  /** Rows written per kind, for the summary in the answer (e.g. { reports: 120 }). */
  counts: Record<string, number>;
  /** Lab submissions created, each of which gets a client report. */
  submissionIds: number[];
}

export type Importer = (context: ImportContext) => Promise<ImportResult>;
