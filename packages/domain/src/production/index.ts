// The write modules of the production tables, one per table, called by the SMS commands
// and the workbook importers alike.

export { type DailySlaughterRow, recordDailySlaughter } from "./daily-slaughter.js";
export {
  type LabOrigin,
  type LabSubmissionsWritten,
  recordLabSubmissions,
  type SpecimenRow,
} from "./lab-submissions.js";
export { type MonthlySlaughterRow, replaceMonthlySlaughter } from "./monthly-slaughter.js";
export { type PopulationCountRow, recordPopulationCounts } from "./population.js";
export { expectEveryRowWritten, ReferenceDataChanged } from "./reference-changed.js";
export type { Origin, RowSource } from "./rows.js";
export { recordVaccinations, type VaccinationRow } from "./vaccinations.js";
