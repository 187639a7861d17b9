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

export interface Importer {
  /**
   * Imports the staged rows numbered in (after, upTo] while the rest of the workbook is
   * still being read. Only for templates whose rows stand alone and cannot break a
   * constraint once they passed the workbook checks; the rows are rolled back with the
   * rest when a later check fails.
   */
  importRows?: (context: ImportContext, range: { after: number; upTo: number }) => Promise<number>;
  /** Imports what is left once every check passed. */
  finish: (context: ImportContext, rowsImported: number) => Promise<ImportResult>;
}
