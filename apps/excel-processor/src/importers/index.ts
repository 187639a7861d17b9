// One importer per template; the compiler checks every template code has one.
import type { TemplateCode } from "@isikhnas/domain";
import { importLabSubmissions } from "./lab-submissions.js";
import { importMonthlySlaughter } from "./monthly-slaughter.js";
import type { Importer } from "./types.js";
import { importUserRegistration } from "./user-registration.js";
import { importVaccinationTally } from "./vaccination-tally.js";

export const IMPORTERS: Record<TemplateCode, Importer> = {
  lab_submissions: importLabSubmissions,
  user_registration: importUserRegistration,
  monthly_slaughter: importMonthlySlaughter,
  vaccination_tally: importVaccinationTally,
};

export function importerFor(templateId: string): Importer | undefined {
  return (IMPORTERS as Record<string, Importer>)[templateId];
}

export type { ImportContext, Importer, ImportResult } from "./types.js";
