// Vaccination tallies: one report row per staged row, written by the table's write module
// in the domain (as VAK is). Rows stand alone (no key in the table they could collide on),
// so they are imported in ranges while the workbook is read.
import { recordVaccinations, vaccinationTally } from "@isikhnas/domain";
import { stagingTableOf } from "../staging.js";
import { expectEveryRowLanded } from "./landed.js";
import type { ImportContext, Importer, ImportResult } from "./types.js";

const STAGED = stagingTableOf(vaccinationTally, "vaccination");

function importRows({ tx, uploadId, userId }: ImportContext, range: { after: number; upTo: number }) {
  return recordVaccinations(tx, { staged: STAGED, range }, { reporterId: userId, uploadId });
}

export const importVaccinationTally: Importer = {
  importRows,
  // Every range was imported while reading.
  finish: async ({ tx }: ImportContext, rowsImported: number): Promise<ImportResult> => {
    await expectEveryRowLanded(tx, "vaccination tally", STAGED, rowsImported);
    return { counts: { reports: rowsImported }, submissionIds: [] };
  },
};
