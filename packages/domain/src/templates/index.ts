// Excel upload templates defined as data.
export { labSubmissions } from "./lab.js";
export { monthlySlaughter } from "./monthly-slaughter.js";
export {
  codeListsOf,
  findTemplate,
  findTemplateBySheetName,
  sheetNameMatches,
  TEMPLATE_DEFINITIONS,
} from "./registry.js";
export {
  type ColumnDefinition,
  type ColumnType,
  type Labels,
  METADATA_SHEET,
  REFERENCE_SHEET,
  type ReferenceEntity,
  type RowRule,
  type SheetDefinition,
  type SheetRule,
  type TemplateDefinition,
} from "./types.js";
export { userRegistration } from "./user-registration.js";
export { vaccinationTally } from "./vaccination-tally.js";
