// The templates of v1, looked up by id or by the names of their sheets.
import { labSubmissions } from "./lab.js";
import { monthlySlaughter } from "./monthly-slaughter.js";
import type { SheetDefinition, TemplateDefinition } from "./types.js";
import { userRegistration } from "./user-registration.js";
import { vaccinationTally } from "./vaccination-tally.js";

export const TEMPLATE_DEFINITIONS: readonly TemplateDefinition[] = [
  labSubmissions,
  userRegistration,
  monthlySlaughter,
  vaccinationTally,
];

export function findTemplate(id: string): TemplateDefinition | undefined {
  const wanted = id.trim().toLowerCase();
  return TEMPLATE_DEFINITIONS.find((template) => template.id === wanted);
}

/** Sheet names compare without case or surrounding spaces, as spreadsheet programs do. */
export function sheetNameMatches(sheet: SheetDefinition, name: string): boolean {
  const wanted = name.trim().toLowerCase();
  return sheet.name.id.toLowerCase() === wanted || sheet.name.en.toLowerCase() === wanted;
}

/** The template one of whose data sheets carries this name. */
export function findTemplateBySheetName(name: string): TemplateDefinition | undefined {
  return TEMPLATE_DEFINITIONS.find((template) =>
    template.sheets.some((sheet) => sheetNameMatches(sheet, name)),
  );
}

/** The code lists a template's drop-downs and checks need. */
export function codeListsOf(template: TemplateDefinition): string[] {
  const lists = new Set<string>();
  for (const sheet of template.sheets) {
    for (const column of sheet.columns) if (column.type.kind === "code") lists.add(column.type.list);
  }
  return [...lists];
}
