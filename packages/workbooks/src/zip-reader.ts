// exceljs's streaming WorkbookReader reads the zip in one forward pass and parses a
// worksheet as soon as it holds the shared strings and the workbook relationships, even
// when xl/workbook.xml (where the sheet names are) comes later in the file. It then fails
// with "Cannot read properties of undefined (reading 'sheets')" (exceljs issue #3064).
// Entry order is the writer's choice, and exceljs's own writer varies it from one file to
// the next, so about one workbook in a hundred that it writes is read as damaged.
//
// No release of exceljs mends this, and no other maintained streaming .xlsx reader keeps
// exceljs's cell model, so only the pass over the zip is replaced here: the spooled file
// is opened by its central directory (yauzl, already used by the container guard) and
// exceljs is handed the parts in the order it needs them: relationships, workbook, shared
// strings, styles, then the worksheets in the workbook's own order. Rows are still parsed
// by exceljs, one at a time, from a stream of each sheet's entry. exceljs is pinned
// exactly because this relies on its internal parse steps.
import type { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { listEntries, openEntry, openZip } from "./zip.js";

interface Relationship {
  Id: string;
  Target: string;
}

interface SheetModel {
  id: number;
  name: string;
  rId: string;
  state?: string;
}

interface WorksheetEvent {
  eventType: string;
  value: { id?: number; name?: string; state?: string };
}

/** The parse steps of exceljs 4.4.0's WorkbookReader that this reader drives. */
interface ExcelJsReaderSteps {
  workbookRels?: Relationship[];
  model?: { sheets?: SheetModel[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<WorksheetEvent>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Iterable<WorksheetEvent>;
}

export type ReaderOptions = ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1];

/** A WorkbookReader over a file on disk that does not depend on the order of its zip entries. */
export class CentralDirectoryWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  readonly #path: string;

  constructor(path: string, options: ReaderOptions) {
    super(path, options);
    this.#path = path;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the base class declares AsyncIterator<any>
  override parse(): AsyncIterator<any> {
    return parseInOrder(this as unknown as ExcelJsReaderSteps, this.#path);
  }
}

async function* parseInOrder(steps: ExcelJsReaderSteps, path: string): AsyncGenerator<WorksheetEvent> {
  const zip = await openZip(path);
  const open = new Set<Readable>();
  try {
    const entries = new Map((await listEntries(zip)).map((entry) => [entry.fileName, entry]));
    const part = async (name: string): Promise<Readable | undefined> => {
      const entry = entries.get(name);
      if (!entry) return undefined;
      const stream = await openEntry(zip, entry);
      open.add(stream);
      return stream;
    };

    const rels = await part("xl/_rels/workbook.xml.rels");
    if (rels) await steps._parseRels(rels);
    const workbook = await part("xl/workbook.xml");
    if (!workbook) throw new Error("the zip holds no xl/workbook.xml");
    await steps._parseWorkbook(workbook);
    const sharedStrings = await part("xl/sharedStrings.xml");
    if (sharedStrings) yield* steps._parseSharedStrings(sharedStrings);
    const styles = await part("xl/styles.xml");
    if (styles) await steps._parseStyles(styles);

    for (const sheet of steps.model?.sheets ?? []) {
      const target = steps.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target;
      const name = target === undefined ? undefined : partName(target);
      const sheetNo = name?.match(/worksheets\/sheet(\d+)\.xml$/)?.[1];
      const stream = name === undefined || sheetNo === undefined ? undefined : await part(name);
      if (!stream || sheetNo === undefined) continue;
      for (const event of steps._parseWorksheet(stream, sheetNo)) {
        // exceljs finds the sheet's name only for a relative target; the model has it anyway.
        event.value.id = sheet.id;
        event.value.name = sheet.name;
        if (sheet.state !== undefined) event.value.state = sheet.state;
        yield event;
      }
    }
  } finally {
    // A part exceljs did not read to the end (a sheet left early) still holds the file.
    for (const stream of open) stream.destroy();
    zip.close();
  }
}

/** A relationship target is relative to xl/ unless it starts with a slash. */
function partName(target: string): string {
  return target.startsWith("/") ? target.slice(1) : `xl/${target.replace(/^\.\//, "")}`;
}
