// Numbers, percentages, dates and times in the reader's language (id-ID or en-GB), the
// same in every medium, so a figure reads identically in the PDF, the e-mail and Excel.
import type { Cell, Column, Headline, Language } from "./model.js";

const LOCALES: Record<Language, string> = { id: "id-ID", en: "en-GB" };

/**
 * Indonesia's zones by their Indonesian abbreviations, which readers know in both
 * languages; ICU gives them only in Indonesian ("GMT+8" in English).
 */
const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  "Asia/Jakarta": "WIB",
  "Asia/Pontianak": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Ujung_Pandang": "WITA",
  "Asia/Jayapura": "WIT",
};

export function localeOf(language: Language): string {
  return LOCALES[language];
}

export interface NumberOptions {
  /** Exactly this many decimals; by default up to two, as many as the number needs. */
  decimals?: number;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function fractionDigits(options: NumberOptions, fallbackMax: number): Intl.NumberFormatOptions {
  return options.decimals === undefined
    ? { minimumFractionDigits: 0, maximumFractionDigits: fallbackMax }
    : { minimumFractionDigits: options.decimals, maximumFractionDigits: options.decimals };
}

/** id: 1.234.567 and 12,5; en: 1,234,567 and 12.5. */
export function formatNumber(n: number, language: Language, options: NumberOptions = {}): string {
  if (!Number.isFinite(n)) return "";
  return numberFormat(LOCALES[language], fractionDigits(options, 2)).format(n);
}

/** A percentage given as 0–100: id 12,5%, en 12.5% (one decimal unless told). */
export function formatPercent(percent: number, language: Language, options: NumberOptions = {}): string {
  if (!Number.isFinite(percent)) return "";
  const digits = options.decimals ?? 1;
  return numberFormat(LOCALES[language], {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(percent / 100);
}

// Building an Intl format costs far more than using one, and a table formats thousands.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

const DATE_PARTS: Record<"date" | "time" | "month", Intl.DateTimeFormatOptions> = {
  date: { day: "numeric", month: "long", year: "numeric" },
  time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  month: { month: "long", year: "numeric" },
};

function dateFormat(
  language: Language,
  timeZone: string,
  kind: keyof typeof DATE_PARTS,
): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${kind}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], { ...DATE_PARTS[kind], timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/** "30 November 2026" (id and en alike) on the calendar of the given zone. */
export function formatDate(date: Date, language: Language, timeZone: string): string {
  return dateFormat(language, timeZone, "date").format(date);
}

/** "November 2026" (id: "Desember 2026") on the calendar of the given zone. */
export function formatMonth(date: Date, language: Language, timeZone: string): string {
  return dateFormat(language, timeZone, "month").format(date);
}

/** id: "30 November 2026 07.00 WITA"; en: "30 November 2026 07:00 WITA". */
export function formatDateTime(date: Date, language: Language, timeZone: string): string {
  const time = dateFormat(language, timeZone, "time").format(date);
  return `${formatDate(date, language, timeZone)} ${time} ${timeZoneAbbreviation(date, language, timeZone)}`;
}

/** WIB, WITA or WIT for Indonesia's zones; otherwise what Intl calls the zone ("UTC", "GMT+10"). */
export function timeZoneAbbreviation(date: Date, language: Language, timeZone: string): string {
  const known = ZONE_ABBREVIATIONS[timeZone];
  if (known) return known;
  const part = new Intl.DateTimeFormat(LOCALES[language], { timeZone, timeZoneName: "short" })
    .formatToParts(date)
    .find((each) => each.type === "timeZoneName");
  return part?.value ?? timeZone;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date cell as a Date: "YYYY-MM-DD" (a calendar day, as UTC midnight), any other ISO
 * timestamp, or milliseconds since the epoch. Undefined when the cell is no date.
 */
export function cellDate(cell: Cell): Date | undefined {
  if (cell === null) return undefined;
  if (typeof cell === "number") return Number.isFinite(cell) ? new Date(cell) : undefined;
  const day = ISO_DAY.exec(cell.trim());
  if (day) return new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  if (!/^\d{4}-\d{2}-\d{2}T/.test(cell.trim())) return undefined;
  const parsed = new Date(cell);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?$/;

/**
 * A numeric cell's number. PostgreSQL's bigint and numeric arrive from node-postgres as
 * text ("1234"); they are numbers all the same.
 */
export function cellNumber(cell: Cell): number | undefined {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === "string" && DECIMAL_TEXT.test(cell.trim())) return Number(cell.trim());
  return undefined;
}

/** Whether a column's numbers are set right-aligned. */
export function isNumericColumn(column: Column): boolean {
  return column.format === "integer" || column.format === "decimal" || column.format === "percent";
}

export interface CellOptions {
  /** The zone in which timestamps (not calendar days) are shown; default Asia/Jakarta. */
  timeZone?: string;
}

/** A headline figure as the reader sees it: as a cell of its format, or a plain number. */
export function formatHeadline(headline: Headline, language: Language): string {
  return formatCell(
    headline.value,
    { label: headline.label, ...(headline.format ? { format: headline.format } : {}) },
    language,
  );
}

/**
 * A table cell as the reader sees it. Calendar days ("2026-11-30") are shown as such;
 * text that is not what the column expects is shown as it is.
 */
export function formatCell(
  cell: Cell,
  column: Column,
  language: Language,
  options: CellOptions = {},
): string {
  if (cell === null) return "";
  const n = cellNumber(cell);
  switch (column.format) {
    case "integer":
      return n === undefined ? String(cell) : formatNumber(n, language, { decimals: 0 });
    case "decimal":
      return n === undefined ? String(cell) : formatNumber(n, language, { decimals: 2 });
    case "percent":
      return n === undefined ? String(cell) : formatPercent(n, language);
    case "date": {
      const date = cellDate(cell);
      if (!date) return String(cell);
      const calendarDay = typeof cell === "string" && ISO_DAY.test(cell.trim());
      return formatDate(date, language, calendarDay ? "UTC" : (options.timeZone ?? "Asia/Jakarta"));
    }
    case "text":
      // An explicit text column holds codes and identifiers: no thousands separators.
      return String(cell);
    default:
      return typeof cell === "number" ? formatNumber(cell, language) : cell;
  }
}
