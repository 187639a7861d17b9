// Reads a workbook against the templates: finds the template by its data sheets' names,
// maps columns by header (not position), converts and checks every cell and the rules
// within a row, and hands on the valid rows in batches while collecting the errors.
import {
  type ColumnDefinition,
  findTemplateBySheetName,
  type Labels,
  METADATA_SHEET,
  type SheetDefinition,
  sheetNameMatches,
  type TemplateDefinition,
} from "@isikhnas/domain";
import { type CellInput, displayCell } from "./cells.js";
import { type CellError, ErrorCollector } from "./errors.js";
import type { WorkbookLimits } from "./limits.js";
import { WorkbookRejected } from "./problems.js";
import { type SheetRow, streamSheets } from "./reader.js";
import { type CodeLists, type ColumnValue, convertCell } from "./values.js";

export interface SheetLayout {
  definition: SheetDefinition;
  /** The name as found in the workbook. */
  name: string;
  headerRow: number;
  /** 1-based column positions of the columns present, by column key. */
  positions: ReadonlyMap<string, number>;
}

export interface ValidRow {
  rowNumber: number;
  /** Aligned with the sheet definition's columns. */
  values: ColumnValue[];
}

export type TemplateEvent =
  | { kind: "template"; template: TemplateDefinition }
  | { kind: "rows"; layout: SheetLayout; rows: ValidRow[] };

export interface TemplateMetadata {
  templateId?: string;
  version?: number;
}

export interface ReadSummary {
  template: TemplateDefinition;
  layouts: ReadonlyMap<string, SheetLayout>;
  errors: ErrorCollector;
  /** Data rows read per sheet key, valid or not. */
  rowCounts: ReadonlyMap<string, number>;
  metadata: TemplateMetadata | undefined;
}

export interface TemplateReadOptions {
  limits: WorkbookLimits;
  codeLists: CodeLists;
  /** Rows handed on at a time. */
  batchSize?: number;
}

const HEADER_SEARCH_ROWS = 5;

/** Iterate it to the end; its `summary()` then tells what was found. */
export class TemplateRowReader implements AsyncIterable<TemplateEvent> {
  readonly #path: string;
  readonly #options: TemplateReadOptions;
  #summary: ReadSummary | undefined;

  constructor(path: string, options: TemplateReadOptions) {
    this.#path = path;
    this.#options = options;
  }

  summary(): ReadSummary {
    if (!this.#summary) throw new Error("summary asked for before the workbook was read");
    return this.#summary;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TemplateEvent> {
    const { limits, codeLists } = this.#options;
    const batchSize = this.#options.batchSize ?? 1000;
    const errors = new ErrorCollector(limits.maxReportedErrors);
    const layouts = new Map<string, SheetLayout>();
    const rowCounts = new Map<string, number>();
    let template: TemplateDefinition | undefined;
    let metadata: TemplateMetadata | undefined;

    for await (const sheet of streamSheets(this.#path, limits)) {
      if (sheet.name.trim().toLowerCase() === METADATA_SHEET) {
        metadata = await readMetadata(sheet.rows);
        continue;
      }
      if (!template) {
        template = findTemplateBySheetName(sheet.name);
        if (template) yield { kind: "template", template };
      }
      const definition = template?.sheets.find((candidate) => sheetNameMatches(candidate, sheet.name));
      if (!definition || layouts.has(definition.key)) {
        for await (const _ of sheet.rows) {
          // Other sheets (the reference sheet, notes of the sender's own) are passed over.
        }
        continue;
      }
      let layout: SheetLayout | undefined;
      let batch: ValidRow[] = [];
      let count = 0;
      let searched = 0;
      for await (const row of sheet.rows) {
        if (!layout) {
          layout = findHeader(definition, sheet.name, row);
          if (!layout && ++searched >= HEADER_SEARCH_ROWS) break;
          if (layout) layouts.set(definition.key, layout);
          continue;
        }
        count++;
        const valid = validateRow(layout, row, codeLists, errors);
        if (valid) batch.push(valid);
        if (batch.length >= batchSize) {
          yield { kind: "rows", layout, rows: batch };
          batch = [];
        }
      }
      if (!layout) {
        throw new WorkbookRejected("missing_columns", `sheet ${sheet.name} has no header row`, {
          sheet: sheet.name,
          columns: requiredHeaders(definition),
        });
      }
      if (batch.length > 0) yield { kind: "rows", layout, rows: batch };
      rowCounts.set(definition.key, count);
    }

    if (!template) {
      throw new WorkbookRejected("unknown_template", "no sheet of the workbook belongs to a known template", {
        ...(metadata?.templateId ? { templateId: metadata.templateId } : {}),
      });
    }
    const missing = template.sheets.find((sheet) => !sheet.optional && !layouts.has(sheet.key));
    if (missing) {
      throw new WorkbookRejected("missing_sheet", `sheet ${missing.name.id} is missing`, {
        sheet: `${missing.name.id} / ${missing.name.en}`,
      });
    }
    if (metadata?.version !== undefined && metadata.version !== template.version) {
      throw new WorkbookRejected(
        "wrong_template_version",
        `template ${template.id} version ${metadata.version}, current ${template.version}`,
        { templateId: template.id, version: metadata.version, current: template.version },
      );
    }
    if ([...rowCounts.values()].every((count) => count === 0)) {
      throw new WorkbookRejected("empty", "the workbook has no data rows", { templateId: template.id });
    }
    this.#summary = { template, layouts, errors, rowCounts, metadata };
  }
}

async function readMetadata(rows: AsyncIterable<SheetRow>): Promise<TemplateMetadata> {
  const metadata: TemplateMetadata = {};
  for await (const row of rows) {
    const [key, value] = row.cells;
    const name = displayCell(key ?? null).toLowerCase();
    if (name === "template_id" && value !== null && value !== undefined)
      metadata.templateId = displayCell(value);
    if (name === "version" && value !== null && value !== undefined) {
      const version = Number(displayCell(value));
      if (Number.isInteger(version)) metadata.version = version;
    }
  }
  return metadata;
}

/** `Tanggal kirim *` and `date_sent (YYYY-MM-DD)` both read as the same header. */
export function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/\(.*?\)/g, "")
    .replace(/[^a-z0-9]/g, "");
}

function findHeader(definition: SheetDefinition, name: string, row: SheetRow): SheetLayout | undefined {
  const byHeader = new Map<string, ColumnDefinition>();
  for (const column of definition.columns) {
    for (const text of [column.key, column.header.id, column.header.en])
      byHeader.set(normaliseHeader(text), column);
  }
  const positions = new Map<string, number>();
  row.cells.forEach((cell, index) => {
    const column = cell === null ? undefined : byHeader.get(normaliseHeader(displayCell(cell)));
    if (column && !positions.has(column.key)) positions.set(column.key, index + 1);
  });
  if (positions.size === 0) return undefined;
  const missing = definition.columns.filter((column) => column.required && !positions.has(column.key));
  if (missing.length > 0) {
    throw new WorkbookRejected(
      "missing_columns",
      `sheet ${name} lacks ${missing.map((c) => c.key).join(", ")}`,
      {
        sheet: name,
        columns: missing.map((column) => column.header.id).join(", "),
      },
    );
  }
  return { definition, name, headerRow: row.number, positions };
}

function requiredHeaders(definition: SheetDefinition): string {
  return definition.columns
    .filter((column) => column.required)
    .map((column) => column.header.id)
    .join(", ");
}

function validateRow(
  layout: SheetLayout,
  row: SheetRow,
  codeLists: CodeLists,
  errors: ErrorCollector,
): ValidRow | undefined {
  const { definition } = layout;
  const values: ColumnValue[] = [];
  const byKey = new Map<string, ColumnValue>();
  let valid = true;
  for (const column of definition.columns) {
    const position = layout.positions.get(column.key);
    const cell: CellInput = position === undefined ? null : (row.cells[position - 1] ?? null);
    const converted = convertCell(cell, column.type, codeLists);
    let value: ColumnValue = converted.ok ? converted.value : null;
    if (!converted.ok) {
      valid = false;
      errors.add(cellError(layout, row.number, column.key, displayCell(cell), converted.problem));
    } else if (value === null && column.required) {
      valid = false;
      errors.add(cellError(layout, row.number, column.key, "", { id: "Wajib diisi", en: "Required" }));
    } else if (value === null && column.defaultValue !== undefined) {
      value = column.defaultValue;
    }
    values.push(value);
    byKey.set(column.key, value);
  }
  if (!valid) return undefined;
  for (const rule of definition.rowRules) {
    if (rule.kind === "notGreaterThan") {
      const value = byKey.get(rule.column);
      const limit = byKey.get(rule.than);
      if (typeof value === "number" && typeof limit === "number" && value > limit) {
        valid = false;
        errors.add(cellError(layout, row.number, rule.column, String(value), rule.message));
      }
    } else if (rule.kind === "positiveSum") {
      const sum = rule.columns.reduce((total, key) => total + Number(byKey.get(key) ?? 0), 0);
      if (sum <= 0) {
        valid = false;
        const [first] = rule.columns;
        errors.add(
          cellError(layout, row.number, first ?? "", String(byKey.get(first ?? "") ?? ""), rule.message),
        );
      }
    }
  }
  return valid ? { rowNumber: row.number, values } : undefined;
}

/** An error placed on a cell of a sheet, with the column's hint as what is expected. */
export function cellError(
  layout: SheetLayout,
  row: number,
  columnKey: string,
  value: string,
  problem: Labels,
): CellError {
  const column = layout.definition.columns.find((candidate) => candidate.key === columnKey);
  const position = layout.positions.get(columnKey);
  return {
    sheet: layout.name,
    row,
    ...(position === undefined ? {} : { column: position }),
    ...(column ? { header: column.header.id } : {}),
    value,
    problem,
    expected: column?.hint ?? { id: "", en: "" },
  };
}
