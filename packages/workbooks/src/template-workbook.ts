// The blank template a person fills in: a data sheet per template sheet with headers (a
// note on each saying what to type), drop-downs fed from the current code lists, the
// reference sheet listing those codes, and the hidden metadata sheet naming id and version.
import {
  type ColumnDefinition,
  type Language,
  METADATA_SHEET,
  REFERENCE_SHEET,
  type ReferenceEntity,
  type TemplateDefinition,
} from "@isikhnas/domain";
import ExcelJS from "exceljs";

export type { Language };

export interface ReferenceCode {
  code: string;
  label: string;
}

export interface TemplateContent {
  /** Codes of each code list the template uses, by list code, in display order. */
  codeLists: ReadonlyMap<string, readonly ReferenceCode[]>;
  /** Current labs, slaughterhouses, programs, user types: drop-downs where lists are short. */
  references?: ReadonlyMap<ReferenceEntity, readonly ReferenceCode[]>;
  language: Language;
  generatedAt?: Date;
}

/** Rows prepared with drop-downs below the header. */
const VALIDATED_ROWS = 5000;
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };

export async function generateTemplate(
  template: TemplateDefinition,
  content: TemplateContent,
): Promise<Buffer> {
  const { language } = content;
  const generatedAt = content.generatedAt ?? new Date();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "iSIKHNAS";
  workbook.created = generatedAt;

  const dataSheets = template.sheets.map((sheet) => ({
    sheet,
    worksheet: workbook.addWorksheet(sheet.name[language]),
  }));
  const reference = workbook.addWorksheet(REFERENCE_SHEET[language]);
  const ranges = writeReferenceSheet(reference, template, content);

  for (const { sheet, worksheet } of dataSheets) {
    worksheet.columns = sheet.columns.map((column) => ({
      header: column.required ? `${column.header[language]} *` : column.header[language],
      key: column.key,
      width: Math.max(14, column.header[language].length + 4),
    }));
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    sheet.columns.forEach((column, index) => {
      const cell = header.getCell(index + 1);
      cell.fill = HEADER_FILL;
      cell.note = column.hint[language];
      const letter = worksheet.getColumn(index + 1).letter;
      const validation = validationFor(column, ranges.get(column.key), language);
      if (validation) validationsOf(worksheet).add(`${letter}2:${letter}${VALIDATED_ROWS + 1}`, validation);
      if (column.type.kind === "date") worksheet.getColumn(index + 1).numFmt = "yyyy-mm-dd";
      if (column.type.kind === "phone" || column.type.kind === "month" || column.type.kind === "reference") {
        // Text, so that 0812… keeps its zero and 2025-06 is not turned into a date.
        worksheet.getColumn(index + 1).numFmt = "@";
      }
    });
    worksheet.views = [{ state: "frozen", ySplit: 1 }];
  }

  const metadata = workbook.addWorksheet(METADATA_SHEET, { state: "hidden" });
  metadata.addRows([
    ["template_id", template.id],
    ["version", template.version],
    ["language", language],
    ["generated_at", generatedAt.toISOString()],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes each list in its own pair of columns; returns the code range of each column key. */
function writeReferenceSheet(
  worksheet: ExcelJS.Worksheet,
  template: TemplateDefinition,
  content: TemplateContent,
): Map<string, string> {
  const { language } = content;
  const ranges = new Map<string, string>();
  const written = new Map<string, string>();
  let nextColumn = 1;
  worksheet.getCell(1, 1).value = template.title[language];
  worksheet.getCell(1, 1).font = { bold: true, size: 13 };
  worksheet.getCell(2, 1).value = template.description[language];
  const top = 4;
  for (const sheet of template.sheets) {
    for (const column of sheet.columns) {
      const source = listOf(column, content);
      if (!source) continue;
      const known = written.get(source.name);
      if (known) {
        ranges.set(column.key, known);
        continue;
      }
      const codeColumn = nextColumn;
      worksheet.getCell(top, codeColumn).value = source.name;
      worksheet.getCell(top, codeColumn).font = { bold: true };
      worksheet.getCell(top, codeColumn + 1).value = column.header[language];
      worksheet.getCell(top, codeColumn + 1).font = { bold: true };
      source.codes.forEach((code, index) => {
        worksheet.getCell(top + 1 + index, codeColumn).value = code.code;
        worksheet.getCell(top + 1 + index, codeColumn + 1).value = code.label;
      });
      worksheet.getColumn(codeColumn).width = 12;
      worksheet.getColumn(codeColumn + 1).width = 28;
      const letter = worksheet.getColumn(codeColumn).letter;
      const last = top + Math.max(1, source.codes.length);
      const range = `'${worksheet.name}'!$${letter}$${top + 1}:$${letter}$${last}`;
      written.set(source.name, range);
      ranges.set(column.key, range);
      nextColumn += 3;
    }
  }
  return ranges;
}

function listOf(
  column: ColumnDefinition,
  content: TemplateContent,
): { name: string; codes: readonly ReferenceCode[] } | undefined {
  if (column.type.kind === "code") {
    return { name: column.type.list, codes: content.codeLists.get(column.type.list) ?? [] };
  }
  if (column.type.kind === "reference") {
    const codes = content.references?.get(column.type.entity);
    return codes && codes.length > 0 ? { name: column.type.entity, codes } : undefined;
  }
  return undefined;
}

function validationFor(
  column: ColumnDefinition,
  range: string | undefined,
  language: Language,
): ExcelJS.DataValidation | undefined {
  const prompt = {
    showErrorMessage: true,
    error: column.hint[language],
    errorTitle: column.header[language],
  };
  switch (column.type.kind) {
    case "code":
    case "reference":
      return range ? { type: "list", allowBlank: !column.required, formulae: [range], ...prompt } : undefined;
    case "choice":
      return {
        type: "list",
        allowBlank: !column.required,
        formulae: [`"${column.type.values.join(",")}"`],
        ...prompt,
      };
    case "integer":
      return {
        type: "whole",
        operator: "between",
        allowBlank: !column.required,
        formulae: [column.type.min, column.type.max],
        ...prompt,
      };
    default:
      return undefined;
  }
}

// exceljs keeps range validations (one entry for a whole column) on the worksheet, but its
// type declarations only describe the per-cell form.
interface RangeValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

function validationsOf(worksheet: ExcelJS.Worksheet): RangeValidations {
  return (worksheet as unknown as { dataValidations: RangeValidations }).dataValidations;
}
