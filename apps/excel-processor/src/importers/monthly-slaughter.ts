// Monthly slaughter figures: one report per slaughterhouse, month and species; a later
// report replaces the earlier one. The rules are the table's write module's, in the domain.
import { monthlySlaughter, replaceMonthlySlaughter } from "@isikhnas/domain";
import { stagingTableOf } from "../staging.js";
import { expectEveryRowLanded } from "./landed.js";
import type { ImportContext, Importer, ImportResult } from "./types.js";

const STAGED = stagingTableOf(monthlySlaughter, "slaughter");

async function importAll({ tx, uploadId, userId }: ImportContext): Promise<ImportResult> {
  const reports = await replaceMonthlySlaughter(tx, { staged: STAGED }, { reporterId: userId, uploadId });
  await expectEveryRowLanded(tx, "monthly slaughter", STAGED, reports);
  return { counts: { reports }, submissionIds: [] };
}

export const importMonthlySlaughter: Importer = { finish: (context) => importAll(context) };
