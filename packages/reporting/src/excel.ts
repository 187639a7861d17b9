// The Excel attachment: data sheets streamed row by row from a cursor with exceljs's
// streaming writer (memory stays flat for a million rows), and an optional summary sheet.
import { once } from "node:events";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { cellDate, cellNumber } from "./format.js";
import type { Cell, Column, DataSheet, Language, ReportDocument, TableSection } from "./model.js";

export interface WorkbookInput {
  language: Language;
  /** The workbook's title property. */
  title: string;
  sheets: readonly DataSheet[];
  /** When given, a first sheet with the document's title, headline figures and tables. */
  summary?: ReportDocument;
}

export interface WorkbookResult {
  /** Data rows written over all data sheets (headers and the summary not counted). */
  rows: number;
}

const SUMMARY_SHEET = { id: "Ringkasan", en: "Summary" } as const;

const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE6ECF2" } };

const NUMBER_FORMATS: Partial<Record<NonNullable<Column["format"]>, string>> = {
  integer: "#,##0",
  decimal: "#,##0.00",
  percent: "0.0%",
  date: "dd/mm/yyyy",
};

/**
 * exceljs pushes committed rows into its zip's deflater without heeding backpressure, so
 * rows pile up in memory (all of them, for a fast producer) unless the writer waits. Every
 * this many rows it waits until the deflater has taken what it was given.
 */
const ROWS_PER_PAUSE = 200;

/**
 * Writes the workbook to `out` and ends it; resolves once `out` has finished. Rows are
 * written and committed one at a time, so a sheet may come from a database cursor.
 */
export async function writeWorkbook(out: Writable, input: WorkbookInput): Promise<WorkbookResult> {
  // exceljs listens for errors on `out` only once it finalises; until then a failing
  // output (a broken upload) would be an unhandled 'error' and crash the process.
  let failure: unknown;
  const failed = new Promise<never>((_, reject) => {
    out.on("error", (error) => {
      failure = error;
      reject(error);
    });
  });
  failed.catch(() => {});

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = "iSIKHNAS";
  workbook.title = input.title;
  workbook.created = new Date();

  const names = new SheetNames();
  if (input.summary) writeSummary(workbook, names.take(SUMMARY_SHEET[input.language]), input.summary);

  let rows = 0;
  let sincePause = 0;
  for (const sheet of input.sheets) {
    const worksheet = workbook.addWorksheet(names.take(sheet.name), {
      views: [{ state: "frozen", ySplit: 1, xSplit: 0 }],
    });
    const styles = sheet.columns.map((column): Partial<ExcelJS.Style> => {
      const numFmt = NUMBER_FORMATS[column.format ?? "text"];
      return numFmt ? { numFmt } : {};
    });
    worksheet.columns = sheet.columns.map((column, index) => ({
      width: excelWidth(column),
      style: styles[index] ?? {},
    }));
    if (sheet.columns.length > 0) {
      worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
    }
    const header = worksheet.addRow(sheet.columns.map((column) => column.label));
    styleHeader(header);
    header.commit();
    const rowsXml = new DataRows(
      sheet.columns,
      styles.map((style) => (style.numFmt ? internals(workbook).styles.addStyleModel(style) : 0)),
    );
    const sheetXml = sheetStream(worksheet);
    let pending = "";
    for await (const cells of sheet.rows) {
      if (failure !== undefined) throw failure;
      pending += rowsXml.next(cells);
      rows++;
      if (++sincePause >= ROWS_PER_PAUSE) {
        sincePause = 0;
        sheetXml.write(pending);
        pending = "";
        await Promise.race([pause(worksheet, out), failed]);
      }
    }
    if (pending) sheetXml.write(pending);
    // The zip takes its entries one after another: a sheet must be closed before the
    // next one's rows can flow out rather than pile up.
    worksheet.commit();
  }
  await Promise.race([workbook.commit(), failed]);
  return { rows };
}

/**
 * The data rows' XML, byte for byte as exceljs 4.4 writes them, without its row and cell
 * objects and XML serialiser: those were most of a district report's workbook at a
 * million cases (12 columns, ~2,000 rows), whose CPU this takes from 41–51 ms to 27 ms
 * (zip included). Cells are typed as exceljs types them: numbers and
 * dates (Excel serial days) as values, text as inline strings (`t="str"`, the writer has
 * no shared strings), a column's number format as its style id, an empty cell only where
 * its column has a style, and a row with no value at all left out (its number still taken).
 */
class DataRows {
  private readonly refs: string[];
  private number = 1;

  constructor(
    private readonly columns: readonly Column[],
    private readonly styleIds: readonly number[],
  ) {
    this.refs = columns.map((_, index) => columnLetters(index + 1));
  }

  /** The next row's XML (after the header, row 2 onwards); empty when it holds no value. */
  next(cells: readonly Cell[]): string {
    this.number += 1;
    const row = this.number;
    let xml = "";
    let hasValue = false;
    for (let index = 0; index < this.columns.length; index++) {
      const value = excelValue(cells[index] ?? null, this.columns[index] as Column);
      const styleId = this.styleIds[index];
      const style = styleId ? ` s="${styleId}"` : "";
      const ref = `${this.refs[index]}${row}`;
      if (value === null) {
        if (style) xml += `<c r="${ref}"${style}/>`;
        continue;
      }
      hasValue = true;
      if (typeof value === "number") xml += `<c r="${ref}"${style}><v>${value}</v></c>`;
      else if (value instanceof Date) xml += `<c r="${ref}"${style}><v>${excelSerialDay(value)}</v></c>`;
      else xml += `<c r="${ref}"${style} t="str"><v>${xmlText(String(value))}</v></c>`;
    }
    if (!hasValue) return "";
    return `<row r="${row}" spans="1:${this.columns.length}" x14ac:dyDescent="0.25">${xml}</row>`;
  }
}

/** 1 → A, 27 → AA. */
function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** Days since 30 December 1899, as exceljs converts a Date (the 1900 date system). */
function excelSerialDay(date: Date): number {
  return 25569 + date.getTime() / (24 * 3600 * 1000);
}

/** XML's five escapes; control characters XML 1.0 cannot hold are dropped, as exceljs does. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it removes
const XML_UNSAFE = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/g;
const XML_ESCAPES: Readonly<Record<string, string>> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  "'": "&apos;",
  '"': "&quot;",
};

function xmlText(text: string): string {
  return text.replace(XML_UNSAFE, (character) => XML_ESCAPES[character] ?? "");
}

/**
 * The parts of exceljs 4.4's streaming writer the data rows go through (exceljs is pinned:
 * the workbook test reads every kind of cell back should they move): the style registry,
 * which gives a style the id its cells refer to, and the sheet's XML stream, which takes
 * rows once the header row has opened the sheet's data.
 */
interface WorkbookInternals {
  styles: { addStyleModel(style: Partial<ExcelJS.Style>): number };
}

function internals(workbook: ExcelJS.stream.xlsx.WorkbookWriter): WorkbookInternals {
  const styles = (workbook as unknown as { styles?: { addStyleModel?: unknown } }).styles;
  if (typeof styles?.addStyleModel !== "function") throw new Error("exceljs has no style registry");
  return workbook as unknown as WorkbookInternals;
}

function sheetStream(worksheet: ExcelJS.Worksheet): { write(xml: string): unknown } {
  const stream = (worksheet as unknown as { stream?: { write?: unknown } }).stream;
  if (typeof stream?.write !== "function") throw new Error("exceljs's sheet has no XML stream");
  return stream as { write(xml: string): unknown };
}

/**
 * Waits until the sheet's entry in the zip has taken what it was given (a slow `out`
 * backs up into it through the deflater), or lets the event loop turn once while the zip
 * has not reached this sheet yet.
 */
async function pause(worksheet: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const inlet = zipInlet(worksheet);
  if (inlet?._writableState.needDrain) await drained(inlet);
  else if (out.writableNeedDrain) await once(out, "drain");
  else await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The writable end of a readable-stream (v2) stream: no writableNeedDrain there. */
interface Inlet {
  _writableState: { needDrain: boolean };
  once(event: string, listener: (error?: unknown) => void): unknown;
  removeListener(event: string, listener: (error?: unknown) => void): unknown;
}

function isInlet(value: unknown): value is Inlet {
  if (typeof value !== "object" || value === null) return false;
  const state = (value as { _writableState?: unknown })._writableState;
  return (
    typeof state === "object" &&
    state !== null &&
    typeof (state as { needDrain?: unknown }).needDrain === "boolean" &&
    typeof (value as { once?: unknown }).once === "function"
  );
}

/**
 * The stream the sheet's XML goes into: exceljs 4.4's StreamBuf keeps the streams it
 * writes to in `pipes`, here archiver's pass-through in front of the deflater. exceljs is
 * pinned to 4.4.0; should the internals move, pauses fall back to one event-loop turn.
 */
function zipInlet(worksheet: ExcelJS.Worksheet): Inlet | undefined {
  const pipes = (worksheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  const first: unknown = Array.isArray(pipes) ? pipes[0] : undefined;
  return isInlet(first) ? first : undefined;
}

function drained(inlet: Inlet): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      inlet.removeListener("error", onError);
      resolve();
    };
    const onError = (error?: unknown): void => {
      inlet.removeListener("drain", onDrain);
      reject(error);
    };
    inlet.once("drain", onDrain);
    inlet.once("error", onError);
  });
}

/** A cell as Excel should hold it: numbers as numbers, dates as dates, percent as a fraction. */
export function excelValue(cell: Cell, column: Column): ExcelJS.CellValue {
  if (cell === null) return null;
  switch (column.format) {
    case "integer":
    case "decimal":
      return cellNumber(cell) ?? cell;
    case "percent": {
      const n = cellNumber(cell);
      return n === undefined ? cell : n / 100;
    }
    case "date":
      return cellDate(cell) ?? cell;
    default:
      return cell;
  }
}

/** Characters wide: the relative PDF width scaled, never narrower than the heading. */
function excelWidth(column: Column): number {
  const base = column.format === undefined || column.format === "text" ? 18 : 12;
  const scaled = base * (column.width ?? 1);
  return Math.min(60, Math.max(8, Math.round(scaled), [...column.label].length + 3));
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    // The column's number format is meant for the data below, not for the heading.
    cell.numFmt = "General";
  });
}

/** Excel's rules for sheet names: 31 characters, none of : \ / ? * [ ], unique ignoring case. */
class SheetNames {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    const clean = wanted.replace(/[:\\/?*[\]]/g, " ").trim() || "Sheet";
    const base = [...clean].slice(0, 31).join("");
    let name = base;
    for (let n = 2; this.used.has(name.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      name = [...base].slice(0, 31 - suffix.length).join("") + suffix;
    }
    this.used.add(name.toLowerCase());
    return name;
  }
}

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, doc: ReportDocument): void {
  const tables = doc.pages.flatMap((page) =>
    page.sections.filter((section): section is TableSection => section.kind === "table"),
  );
  const columnCount = Math.max(2, ...tables.map((table) => table.columns.length));
  const worksheet = workbook.addWorksheet(name);
  worksheet.columns = Array.from({ length: columnCount }, (_, index) => ({ width: index === 0 ? 36 : 16 }));
  const add = (values: ExcelJS.CellValue[], style?: (row: ExcelJS.Row) => void): void => {
    const row = worksheet.addRow(values);
    style?.(row);
    row.commit();
  };
  add([doc.title], (row) => {
    row.font = { bold: true, size: 14 };
  });
  if (doc.subtitle) add([doc.subtitle]);
  add([]);
  for (const headline of doc.headlines) {
    add([headline.label, headline.value], (row) => {
      const value = row.getCell(2);
      value.font = { bold: true };
      if (typeof headline.value === "number") {
        // Rates are 0–100 in the data, as in the report's tables.
        value.numFmt =
          headline.format === "percent" ? '0.0"%"' : Number.isInteger(headline.value) ? "#,##0" : "#,##0.##";
      }
    });
  }
  if (doc.emptyNotice !== undefined) {
    add([]);
    add([doc.emptyNotice], (row) => {
      row.font = { bold: true };
    });
  }
  for (const table of doc.emptyNotice === undefined ? tables : []) {
    add([]);
    add([table.title], (row) => {
      row.font = { bold: true, size: 12 };
    });
    add(
      table.columns.map((column) => column.label),
      (row) => styleHeader(row),
    );
    const formatted = (cells: readonly Cell[]) => (row: ExcelJS.Row) => {
      table.columns.forEach((column, index) => {
        const format = NUMBER_FORMATS[column.format ?? "text"];
        if (format && cells[index] !== null && cells[index] !== undefined)
          row.getCell(index + 1).numFmt = format;
      });
    };
    for (const cells of table.rows) {
      add(
        table.columns.map((column, index) => excelValue(cells[index] ?? null, column)),
        formatted(cells),
      );
    }
    const totals = table.totals;
    if (totals) {
      add(
        table.columns.map((column, index) => excelValue(totals[index] ?? null, column)),
        (row) => {
          formatted(totals)(row);
          row.font = { bold: true };
        },
      );
    }
  }
  worksheet.commit();
}
