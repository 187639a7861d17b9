// Valid rows are copied into a temporary table per sheet (COPY, no round trip per row);
// the checks that need the database then run as set queries over those tables:
// references exist, places lie inside the sender's areas, addresses and sample ids are
// new, and no two rows repeat a key. Each failing cell comes back as a CellError.
// A check depends on one cell's value only, so it runs once per distinct value of its
// column (a 10,000-row tally names a handful of programs and villages), not once per row.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type {
  ColumnDefinition,
  Labels,
  ReferenceEntity,
  SheetDefinition,
  TemplateDefinition,
} from "@isikhnas/domain";
import type { Transaction } from "@isikhnas/platform";
import { type CellError, cellError, type SheetLayout, type ValidRow } from "@isikhnas/workbooks";
import { from as copyFrom } from "pg-copy-streams";
import { copyLine } from "./copy-text.js";

export function stagingTable(sheet: SheetDefinition): string {
  return `staged_${sheet.key}`;
}

/** The staging table of a template's sheet, for importers that name the sheet by its key. */
export function stagingTableOf(template: TemplateDefinition, sheetKey: string): string {
  const sheet = template.sheets.find((candidate) => candidate.key === sheetKey);
  if (!sheet) throw new Error(`template ${template.id} has no sheet ${sheetKey}`);
  return stagingTable(sheet);
}

/** Column keys are plain names from the definitions, but some (`primary`) are SQL keywords. */
export function ident(key: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(key)) throw new Error(`not a column key: ${key}`);
  return `"${key}"`;
}

function sqlType(column: ColumnDefinition): string {
  switch (column.type.kind) {
    case "integer":
      return "integer";
    case "date":
    case "month":
      return "date";
    default:
      return "text";
  }
}

export async function createStagingTables(tx: Transaction, template: TemplateDefinition): Promise<void> {
  for (const sheet of template.sheets) {
    const columns = sheet.columns.map((column) => `${ident(column.key)} ${sqlType(column)}`).join(", ");
    await tx.query(
      `CREATE TEMP TABLE ${stagingTable(sheet)} (row_number integer PRIMARY KEY, ${columns}) ON COMMIT DROP`,
    );
  }
}

export type ChunkHandler = (sheet: SheetDefinition, range: { after: number; upTo: number }) => Promise<void>;

/**
 * Stages rows in chunks, each one COPY. While PostgreSQL takes a chunk (and, when asked,
 * imports it), the next is being read: parsing and the database work overlap, and at most
 * two chunks are held in memory. Rows go out as soon as PostgreSQL has nothing to do (so
 * the first ones do not wait for a whole chunk), and in chunks of up to `chunkRows` while
 * it is busy.
 */
export class RowStager {
  readonly #tx: Transaction;
  readonly #chunkRows: number;
  readonly #onChunk: ChunkHandler | undefined;
  #sheet: SheetDefinition | undefined;
  #lines: string[] = [];
  #rows = 0;
  #lastRow = 0;
  #flushedUpTo = 0;
  #pending: Promise<void> = Promise.resolve();
  #busy = false;

  constructor(tx: Transaction, options: { chunkRows: number; onChunk?: ChunkHandler | undefined }) {
    this.#tx = tx;
    this.#chunkRows = options.chunkRows;
    this.#onChunk = options.onChunk;
  }

  async add(sheet: SheetDefinition, rows: readonly ValidRow[]): Promise<void> {
    if (this.#sheet !== sheet) {
      await this.#flush();
      this.#sheet = sheet;
      this.#flushedUpTo = 0;
    }
    for (const row of rows) this.#lines.push(copyLine(row.rowNumber, row.values));
    this.#rows += rows.length;
    this.#lastRow = rows.at(-1)?.rowNumber ?? this.#lastRow;
    if (this.#rows >= this.#chunkRows || (!this.#busy && this.#rows > 0)) {
      // Wait for the chunk before (one in flight), then send this one without waiting.
      await this.#pending;
      this.#busy = true;
      this.#pending = this.#send().finally(() => {
        this.#busy = false;
      });
      this.#pending.catch(() => {});
    }
  }

  /** Stages what is left and waits for every chunk. */
  async finish(): Promise<void> {
    await this.#flush();
  }

  async #flush(): Promise<void> {
    await this.#pending;
    this.#pending = this.#send();
    await this.#pending;
  }

  #send(): Promise<void> {
    const sheet = this.#sheet;
    if (!sheet || this.#lines.length === 0) return Promise.resolve();
    const text = this.#lines.join("");
    const range = { after: this.#flushedUpTo, upTo: this.#lastRow };
    this.#lines = [];
    this.#rows = 0;
    this.#flushedUpTo = this.#lastRow;
    const columns = ["row_number", ...sheet.columns.map((column) => ident(column.key))].join(", ");
    const copy = this.#tx.query(copyFrom(`COPY ${stagingTable(sheet)} (${columns}) FROM STDIN`));
    return pipeline(Readable.from([text]), copy).then(() => this.#onChunk?.(sheet, range));
  }
}

const REFERENCE_EXISTS: Record<ReferenceEntity, (value: string) => string> = {
  case: (v) =>
    `${v} ~ '^[0-9]{1,18}$' AND EXISTS (SELECT 1 FROM cases c WHERE c.id = ${v}::bigint AND c.deleted_at IS NULL)`,
  village: (v) =>
    `EXISTS (SELECT 1 FROM locations l WHERE l.code = ${v} AND l.level = 4 AND l.deleted_at IS NULL)`,
  lab: (v) =>
    `EXISTS (SELECT 1 FROM infrastructure i WHERE i.code = ${v} AND i.kind = 'lab' AND i.deleted_at IS NULL)`,
  slaughterhouse: (v) =>
    `EXISTS (SELECT 1 FROM infrastructure i WHERE i.code = ${v} AND i.kind = 'slaughterhouse' AND i.deleted_at IS NULL)`,
  vaccinationProgram: (v) =>
    `EXISTS (SELECT 1 FROM programs p WHERE p.code = ${v} AND p.kind = 'vaccination' AND p.deleted_at IS NULL)`,
  userType: (v) => `EXISTS (SELECT 1 FROM user_types t WHERE t.code = ${v} AND t.deleted_at IS NULL)`,
  specimen: (v) => `EXISTS (SELECT 1 FROM specimens sp WHERE sp.sample_ref = ${v} AND sp.deleted_at IS NULL)`,
};

const REFERENCE_PROBLEM: Record<ReferenceEntity, Labels> = {
  case: { id: "Kasus tidak ditemukan", en: "No such case" },
  village: { id: "Desa tidak ditemukan", en: "No such village" },
  lab: { id: "Laboratorium tidak dikenal", en: "Unknown laboratory" },
  slaughterhouse: { id: "Rumah potong tidak dikenal", en: "Unknown slaughterhouse" },
  vaccinationProgram: { id: "Program vaksinasi tidak dikenal", en: "Unknown vaccination program" },
  userType: { id: "Jenis pengguna tidak dikenal", en: "Unknown user type" },
  specimen: { id: "Sampel tidak ditemukan", en: "No such sample" },
};

const MUST_BE_NEW: Record<
  NonNullable<ColumnDefinition["mustBeNew"]>,
  { exists: (v: string) => string; problem: Labels }
> = {
  smsContact: {
    exists: (v) => `EXISTS (SELECT 1 FROM contacts c WHERE c.channel = 'sms' AND c.address = ${v})`,
    problem: { id: "Nomor HP sudah terdaftar", en: "Phone number already registered" },
  },
  emailContact: {
    exists: (v) => `EXISTS (SELECT 1 FROM contacts c WHERE c.channel = 'email' AND c.address = ${v})`,
    problem: { id: "E-mail sudah terdaftar", en: "E-mail already registered" },
  },
  specimen: {
    exists: REFERENCE_EXISTS.specimen,
    problem: { id: "ID sampel sudah terdaftar", en: "Sample id already registered" },
  },
};

const OUTSIDE_AREAS: Labels = {
  id: "Di luar wilayah tanggung jawab Anda",
  en: "Outside your areas of responsibility",
};
const UNKNOWN_LOCATIONS: Labels = {
  id: "Ada kode lokasi yang tidak dikenal",
  en: "A location code is unknown",
};

interface Check {
  column: string;
  /** A condition over `v` (a distinct value of the column) that holds for a bad value. */
  failsWhen: string;
  problem: Labels;
}

/** `senderId` is written into the SQL as is: the caller checked it is a safe integer. */
function checksOf(sheet: SheetDefinition, template: TemplateDefinition, senderId: number): Check[] {
  const checks: Check[] = [];
  const value = "d.v";
  for (const column of sheet.columns) {
    if (column.type.kind === "reference") {
      const entity = column.type.entity;
      let exists = REFERENCE_EXISTS[entity](value);
      const other =
        column.orInSheet && template.sheets.find((candidate) => candidate.key === column.orInSheet?.sheet);
      if (other && column.orInSheet) {
        exists = `(${exists} OR EXISTS (SELECT 1 FROM ${stagingTable(other)} o WHERE o.${ident(column.orInSheet.column)} = ${value}))`;
      }
      checks.push({
        column: column.key,
        failsWhen: `${value} IS NOT NULL AND NOT (${exists})`,
        problem: REFERENCE_PROBLEM[entity],
      });
    }
    if (column.type.kind === "locationList") {
      checks.push({
        column: column.key,
        failsWhen: `${value} IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(string_to_array(${value}, ',')) AS listed(code)
          WHERE NOT EXISTS (SELECT 1 FROM locations l WHERE l.code = listed.code AND l.deleted_at IS NULL))`,
        problem: UNKNOWN_LOCATIONS,
      });
    }
    if (column.withinSenderAreas) {
      checks.push({
        column: column.key,
        failsWhen: `${value} IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM user_areas ua JOIN locations a ON a.id = ua.location_id
          WHERE ua.user_id = ${senderId} AND ua.deleted_at IS NULL AND starts_with(${value}, a.code))`,
        problem: OUTSIDE_AREAS,
      });
    }
    if (column.mustBeNew) {
      const rule = MUST_BE_NEW[column.mustBeNew];
      checks.push({
        column: column.key,
        failsWhen: `${value} IS NOT NULL AND ${rule.exists(value)}`,
        problem: rule.problem,
      });
    }
  }
  return checks;
}

/**
 * Runs every database check of the staged sheets; returns the failing cells sheet by
 * sheet, in the order the checks found them (the caller orders the answer).
 */
export async function checkStagedRows(
  tx: Transaction,
  template: TemplateDefinition,
  layouts: ReadonlyMap<string, SheetLayout>,
  options: { senderId: number; limit: number },
): Promise<CellError[]> {
  if (!Number.isSafeInteger(options.senderId)) throw new Error(`not a user id: ${options.senderId}`);
  const errors: CellError[] = [];
  for (const sheet of template.sheets) {
    const layout = layouts.get(sheet.key);
    if (!layout) continue;
    const checks = checksOf(sheet, template, options.senderId);
    if (checks.length > 0) {
      const table = stagingTable(sheet);
      const columns = [...new Set(checks.map((check) => check.column))];
      // The distinct values of each checked column, then the bad ones among them per check;
      // one pass over the staged rows then flags each row by hash look-ups.
      const distinct = columns.map(
        (column, index) =>
          `d${index} AS MATERIALIZED (SELECT DISTINCT ${ident(column)} AS v FROM ${table} WHERE ${ident(column)} IS NOT NULL)`,
      );
      const bad = checks.map(
        (check, index) =>
          `b${index} AS (SELECT d.v FROM d${columns.indexOf(check.column)} d WHERE ${check.failsWhen})`,
      );
      const flags = checks
        .map(
          (check, index) =>
            `coalesce(s.${ident(check.column)} IN (SELECT v FROM b${index}), false) AS c${index}`,
        )
        .join(", ");
      // Values come back as text, as the sender would see them (no time zone on dates).
      const values = sheet.columns
        .map((column) => `s.${ident(column.key)}::text AS ${ident(column.key)}`)
        .join(", ");
      const result = await tx.query<Record<string, string | boolean | null> & { row_number: number }>(
        `WITH ${[...distinct, ...bad].join(", ")}
         SELECT * FROM (SELECT s.row_number, ${values}, ${flags} FROM ${table} s) flagged
         WHERE ${checks.map((_, index) => `c${index}`).join(" OR ")}
         ORDER BY row_number LIMIT $1`,
        [options.limit],
      );
      for (const row of result.rows) {
        checks.forEach((check, index) => {
          if (row[`c${index}`] === true) {
            errors.push(
              cellError(layout, row.row_number, check.column, String(row[check.column] ?? ""), check.problem),
            );
          }
        });
      }
    }
    for (const rule of sheet.sheetRules) {
      const key = rule.columns.map(ident).join(", ");
      const first = ident(rule.columns[0] ?? "");
      // Repeated keys are found by grouping (hashing) first; only their rows are then
      // read again, where a window over every row would sort them all.
      const result = await tx.query<{ row_number: number; first_row: number; value: string | null }>(
        `SELECT s.row_number, k.first_row, s.${first}::text AS value
         FROM ${stagingTable(sheet)} s JOIN (
           SELECT ${key}, min(row_number) AS first_row FROM ${stagingTable(sheet)}
           WHERE ${rule.columns.map((column) => `${ident(column)} IS NOT NULL`).join(" AND ")}
           GROUP BY ${key} HAVING count(*) > 1
         ) k ON ${rule.columns.map((column) => `k.${ident(column)} = s.${ident(column)}`).join(" AND ")}
         WHERE s.row_number <> k.first_row ORDER BY s.row_number LIMIT $1`,
        [options.limit],
      );
      for (const row of result.rows) {
        const problem = {
          id: `${rule.message.id} (baris ${row.first_row})`,
          en: `${rule.message.en} (row ${row.first_row})`,
        };
        errors.push(cellError(layout, row.row_number, rule.columns[0] ?? "", row.value ?? "", problem));
      }
    }
  }
  return errors;
}
