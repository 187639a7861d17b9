// The shape of an Excel upload template, as data: sheets, columns with their types and
// code lists, required fields, and the rules across fields and rows. Workbook generation,
// reading and validation all work from these definitions alone.

export interface Labels {
  id: string;
  en: string;
}

/** Things a cell may name that live in the database, checked when the rows are staged. */
export type ReferenceEntity =
  | "case"
  | "village"
  | "lab"
  | "slaughterhouse"
  | "vaccinationProgram"
  | "userType"
  | "specimen";

export type ColumnType =
  | { kind: "text"; maxLength: number }
  | { kind: "integer"; min: number; max: number }
  | { kind: "date" }
  /** A calendar month; stored as its first day. */
  | { kind: "month" }
  /** A code from a code list (`codes.list_code`), case-insensitive. */
  | { kind: "code"; list: string }
  /** One of a fixed set of values that is not a code list (e.g. a language). */
  | { kind: "choice"; values: readonly string[] }
  | { kind: "reference"; entity: ReferenceEntity }
  /** Location codes separated by commas, each at any level. */
  | { kind: "locationList" }
  /** A phone number, stored normalised (628…). */
  | { kind: "phone" }
  | { kind: "email" };

export interface ColumnDefinition {
  /** Stable name used in code and SQL; also accepted as a header. */
  key: string;
  header: Labels;
  /** What a person should type, shown in the reference sheet and in error comments. */
  hint: Labels;
  type: ColumnType;
  required: boolean;
  /** Value used when an optional cell is blank. */
  defaultValue?: string | number;
  /** A village or location that must lie inside the sender's areas of responsibility. */
  withinSenderAreas?: boolean;
  /** The value must not already be registered (an address of another user, a sample id). */
  mustBeNew?: "smsContact" | "emailContact" | "specimen";
  /** The value may instead name a row of another sheet of the same workbook. */
  orInSheet?: { sheet: string; column: string };
}

/** Rules across the fields of one row. */
export type RowRule =
  | { kind: "notGreaterThan"; column: string; than: string; message: Labels }
  | { kind: "positiveSum"; columns: readonly string[]; message: Labels };

/** Rules across rows of one sheet. */
export type SheetRule = { kind: "unique"; columns: readonly string[]; message: Labels };

export interface SheetDefinition {
  key: string;
  /** Sheet names; either is accepted on upload, the sender's language is used on generation. */
  name: Labels;
  columns: readonly ColumnDefinition[];
  rowRules: readonly RowRule[];
  sheetRules: readonly SheetRule[];
  /** A data sheet that may be left empty (the lab results sheet). */
  optional?: boolean;
}

export interface TemplateDefinition {
  /** The `templates.code` of the template. */
  id: string;
  /** Raised when a change makes older blank templates unfit; uploads must name the current one. */
  version: number;
  title: Labels;
  description: Labels;
  sheets: readonly SheetDefinition[];
}

/** Sheet names every template shares. */
export const REFERENCE_SHEET: Labels = { id: "Kode", en: "Codes" };
export const METADATA_SHEET = "metadata";
