// Turns one cell into the value a column wants, the way a person would read it: numbers
// typed as text, dates as serial numbers or as text in Indonesian day-first order, phone
// numbers that lost their leading zero, codes in any case.
import type { ColumnType, Labels } from "@isikhnas/domain";
import { normalisePhone } from "@isikhnas/domain";
import { type CellInput, displayCell } from "./cells.js";

/** What is stored: text, a whole number, or null for a blank optional cell. */
export type ColumnValue = string | number | null;

export type Conversion = { ok: true; value: ColumnValue } | { ok: false; problem: Labels };

export interface CodeLists {
  /** Upper-case codes of each list, by list code. */
  get(list: string): ReadonlySet<string> | undefined;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/** Serial numbers of 1950-01-01 and 2100-01-01: outside this, a number is not a date. */
const SERIAL_MIN = 18_264;
const SERIAL_MAX = 73_051;

const MONTHS: Record<string, number> = {
  jan: 1,
  januari: 1,
  january: 1,
  feb: 2,
  februari: 2,
  february: 2,
  mar: 3,
  maret: 3,
  march: 3,
  apr: 4,
  april: 4,
  mei: 5,
  may: 5,
  jun: 6,
  juni: 6,
  june: 6,
  jul: 7,
  juli: 7,
  july: 7,
  agu: 8,
  agt: 8,
  agustus: 8,
  aug: 8,
  august: 8,
  sep: 9,
  september: 9,
  okt: 10,
  oktober: 10,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  des: 12,
  desember: 12,
  dec: 12,
  december: 12,
};

const problems = {
  notInteger: (min: number, max: number): Labels => ({
    id: `Harus bilangan bulat ${min}–${max}`,
    en: `Must be a whole number ${min}–${max}`,
  }),
  notDate: { id: "Bukan tanggal yang dikenali", en: "Not a recognisable date" },
  notMonth: { id: "Bukan bulan yang dikenali", en: "Not a recognisable month" },
  tooLong: (max: number): Labels => ({
    id: `Lebih dari ${max} karakter`,
    en: `Longer than ${max} characters`,
  }),
  notPhone: { id: "Bukan nomor HP yang benar", en: "Not a valid phone number" },
  notEmail: { id: "Bukan alamat e-mail yang benar", en: "Not a valid e-mail address" },
  unknownCode: (list: string): Labels => ({
    id: `Kode tidak ada di daftar ${list}`,
    en: `Not a code of list ${list}`,
  }),
  notChoice: (values: readonly string[]): Labels => ({
    id: `Harus salah satu dari: ${values.join(", ")}`,
    en: `Must be one of: ${values.join(", ")}`,
  }),
  notLocations: { id: "Bukan daftar kode lokasi", en: "Not a list of location codes" },
  notReference: { id: "Bukan kode yang benar", en: "Not a valid code" },
};

export function convertCell(cell: CellInput, type: ColumnType, codeLists: CodeLists): Conversion {
  if (cell === null) return { ok: true, value: null };
  switch (type.kind) {
    case "text": {
      const text = displayCell(cell);
      return text.length > type.maxLength ? fail(problems.tooLong(type.maxLength)) : ok(text);
    }
    case "integer": {
      const number = toNumber(cell);
      return number !== null && Number.isInteger(number) && number >= type.min && number <= type.max
        ? ok(number)
        : fail(problems.notInteger(type.min, type.max));
    }
    case "date": {
      const day = toDay(cell);
      return day ? ok(day) : fail(problems.notDate);
    }
    case "month": {
      const month = toMonth(cell);
      return month ? ok(month) : fail(problems.notMonth);
    }
    case "code": {
      const code = codeText(cell);
      return codeLists.get(type.list)?.has(code) ? ok(code) : fail(problems.unknownCode(type.list));
    }
    case "choice": {
      const choice = displayCell(cell).toLowerCase();
      return type.values.includes(choice) ? ok(choice) : fail(problems.notChoice(type.values));
    }
    case "reference": {
      // Whether it exists is checked in the database; here only its shape.
      const reference = type.entity === "userType" ? displayCell(cell).toLowerCase() : codeText(cell);
      return /^[A-Za-z0-9_.\-/]{1,64}$/.test(reference) ? ok(reference) : fail(problems.notReference);
    }
    case "locationList": {
      const codes = displayCell(cell)
        .split(/[,;\s]+/)
        .filter(Boolean);
      return codes.length > 0 && codes.every((code) => /^[0-9]{2}([0-9]{2}){0,3}$/.test(code))
        ? ok(codes.join(","))
        : fail(problems.notLocations);
    }
    case "phone": {
      const phone = toPhone(cell);
      return phone ? ok(phone) : fail(problems.notPhone);
    }
    case "email": {
      const email = displayCell(cell)
        .toLowerCase()
        .replace(/^mailto:/, "");
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254
        ? ok(email)
        : fail(problems.notEmail);
    }
  }
}

function ok(value: ColumnValue): Conversion {
  return { ok: true, value };
}

function fail(problem: Labels): Conversion {
  return { ok: false, problem };
}

function codeText(cell: CellInput): string {
  // A numeric code typed into a number cell (lab 730801) comes back as a number.
  return displayCell(cell).toUpperCase();
}

/** Numbers typed as text, with spaces or a trailing ".0" from a program that wrote floats. */
function toNumber(cell: CellInput): number | null {
  if (typeof cell === "number") return cell;
  if (typeof cell !== "string") return null;
  const compact = cell.replace(/\s/g, "");
  if (!/^-?[0-9]+(\.0+)?$/.test(compact)) return null;
  return Number(compact);
}

function toDay(cell: CellInput): string | null {
  if (cell instanceof Date) return isoDay(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  const serial = toNumber(cell);
  if (serial !== null && typeof cell === "number") return fromSerial(serial);
  if (typeof cell !== "string") return null;
  const text = cell.trim().toLowerCase();
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?$/.exec(text);
  if (match) return isoDay(Number(match[1]), Number(match[2]), Number(match[3]));
  // Indonesian order: day first (30/06/2025, 30-6-2025, 30.06.2025).
  match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:\s.*)?$/.exec(text);
  if (match) return isoDay(Number(match[3]), Number(match[2]), Number(match[1]));
  match = /^(\d{1,2})[\s-]+([a-z]+)[\s-]+(\d{4})$/.exec(text);
  const month = match ? MONTHS[match[2] ?? ""] : undefined;
  if (match && month) return isoDay(Number(match[3]), month, Number(match[1]));
  // A serial number stored as text (a CSV round trip).
  if (serial !== null) return fromSerial(serial);
  return null;
}

function toMonth(cell: CellInput): string | null {
  if (typeof cell === "string") {
    const text = cell.trim().toLowerCase();
    let match = /^(\d{4})[-/.](\d{1,2})$/.exec(text);
    if (match) return isoDay(Number(match[1]), Number(match[2]), 1);
    match = /^(\d{1,2})[-/.](\d{4})$/.exec(text);
    if (match) return isoDay(Number(match[2]), Number(match[1]), 1);
    match = /^([a-z]+)[\s-]+(\d{4})$/.exec(text);
    const month = match ? MONTHS[match[1] ?? ""] : undefined;
    if (match && month) return isoDay(Number(match[2]), month, 1);
  }
  const day = toDay(cell);
  return day ? `${day.slice(0, 8)}01` : null;
}

function fromSerial(serial: number): string | null {
  if (serial < SERIAL_MIN || serial > SERIAL_MAX) return null;
  const date = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS);
  return isoDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function isoDay(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  if (year < 1950 || year > 2100) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Indonesian mobile numbers start 08; a spreadsheet that took the column for a number drops
 * the zero (81234567890), which would otherwise read as an international number.
 */
function toPhone(cell: CellInput): string | null {
  const text = typeof cell === "number" ? String(Math.trunc(cell)) : displayCell(cell);
  const compact = text.replace(/[\s\-().]/g, "");
  const restored = /^8[0-9]{7,12}$/.test(compact) ? `0${compact}` : compact;
  return normalisePhone(restored);
}
