// Streams the sheets of an .xlsx one row at a time (exceljs's WorkbookReader, driven over
// the zip's central directory), so memory stays flat however many rows there are, and
// enforces the row and column limits as it goes.
import type ExcelJS from "exceljs";
import { type CellInput, toCellInput } from "./cells.js";
import type { WorkbookLimits } from "./limits.js";
import { corruptWorkbook, WorkbookRejected } from "./problems.js";
import { CentralDirectoryWorkbookReader } from "./zip-reader.js";

export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  number: number;
  /** Cells by 0-based column position; trailing blanks trimmed. */
  cells: CellInput[];
}

export interface StreamedSheet {
  name: string;
  rows: AsyncIterable<SheetRow>;
}

type ReaderWorksheet = AsyncIterable<ExcelJS.Row> & { name: string };

/**
 * Every sheet in file order. A sheet's rows must be consumed (or the loop left) before the
 * next sheet arrives. Blank rows (formatting only) are skipped.
 */
export async function* streamSheets(path: string, limits: WorkbookLimits): AsyncGenerator<StreamedSheet> {
  const reader = new CentralDirectoryWorkbookReader(path, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Styles tell dates from numbers.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  try {
    for await (const worksheet of reader as AsyncIterable<ReaderWorksheet>) {
      const name = worksheet.name;
      yield { name, rows: limitedRows(worksheet, name, limits) };
    }
  } catch (error) {
    if (error instanceof WorkbookRejected) throw error;
    throw corruptWorkbook("the workbook could not be read", error);
  }
}

async function* limitedRows(
  worksheet: ReaderWorksheet,
  sheet: string,
  limits: WorkbookLimits,
): AsyncGenerator<SheetRow> {
  try {
    yield* checkedRows(worksheet, sheet, limits);
  } catch (error) {
    // exceljs fails inside a sheet's XML (a bad cell address, a stray character) with plain
    // errors; they are the file's fault, not ours, and the sender is told so.
    if (error instanceof WorkbookRejected) throw error;
    throw corruptWorkbook(`sheet ${sheet} could not be read`, error);
  }
}

async function* checkedRows(worksheet: ReaderWorksheet, sheet: string, limits: WorkbookLimits) {
  let rows = 0;
  let previous = 0;
  for await (const row of worksheet) {
    // Rows come in ascending order in every file Excel or another program writes; a
    // repeated or backward row number would make two rows one place.
    if (!(row.number > previous)) {
      throw corruptWorkbook(
        `sheet ${sheet} could not be read`,
        `row ${row.number} comes after row ${previous}`,
      );
    }
    previous = row.number;
    // exceljs gives 1-based sparse values; index 0 is always empty.
    const values = row.values as unknown[];
    if (values.length - 1 > limits.maxColumns) {
      const used = lastFilled(values);
      if (used > limits.maxColumns) {
        throw new WorkbookRejected("too_many_columns", `sheet ${sheet} uses ${used} columns`, {
          sheet,
          limit: limits.maxColumns,
        });
      }
    }
    const cells: CellInput[] = [];
    let filled = 0;
    for (let index = 1; index < values.length && index <= limits.maxColumns; index++) {
      const cell = toCellInput(values[index]);
      cells.push(cell);
      if (cell !== null) filled = index;
    }
    if (filled === 0) continue;
    cells.length = filled;
    rows++;
    // The header row is one more than the data rows allowed.
    if (rows > limits.maxRows + 1) {
      throw new WorkbookRejected("too_many_rows", `sheet ${sheet} has more than ${limits.maxRows} rows`, {
        sheet,
        limit: limits.maxRows,
      });
    }
    yield { number: row.number, cells };
  }
}

function lastFilled(values: unknown[]): number {
  for (let index = values.length - 1; index > 0; index--) {
    if (toCellInput(values[index]) !== null) return index;
  }
  return 0;
}
