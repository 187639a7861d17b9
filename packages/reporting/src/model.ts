// What a report says, independent of the medium: the report generator fills a
// ReportDocument from its queries, and each renderer (PDF, HTML e-mail, Excel) lays the
// same document out for its medium. Texts arrive already in the reader's language.

export type Language = "id" | "en";

/** A table cell: text, a number (formatted by the renderer in the reader's locale), or empty. */
export type Cell = string | number | null;

/** A headline figure; formatted like a table cell of its format (a rate shows its %). */
export interface Headline {
  label: string;
  value: number | string;
  format?: Column["format"];
}

export interface Column {
  /** The heading, in the reader's language. */
  label: string;
  /** Numbers right-aligned and formatted with the locale's separators; percent is 0–100. */
  format?: "text" | "integer" | "decimal" | "percent" | "date";
  /** Relative width in the PDF (default 1). */
  width?: number;
}

export interface TableSection {
  kind: "table";
  title: string;
  columns: readonly Column[];
  rows: readonly (readonly Cell[])[];
  /** A closing row (totals), set apart from the rows. */
  totals?: readonly Cell[];
}

/** One chart definition, drawn as SVG for the PDF and as PNG for the e-mail. */
export interface ChartSpec {
  type: "bar" | "horizontal-bar" | "line" | "pie";
  /** Category labels (x axis, or pie slices). */
  categories: readonly string[];
  /** One series for pie charts; one or more for bar and line charts. */
  series: readonly { name: string; values: readonly number[] }[];
  /** Axis label for the values, if any. */
  valueLabel?: string;
}

export interface ChartSection {
  kind: "chart";
  title: string;
  chart: ChartSpec;
}

export interface TextSection {
  kind: "text";
  title?: string;
  paragraphs: readonly string[];
}

/** Label/value pairs, like the fields of a form (a lab client report's submission). */
export interface FieldsSection {
  kind: "fields";
  title?: string;
  fields: readonly { label: string; value: string }[];
}

export type Section = TableSection | ChartSection | TextSection | FieldsSection;

/** A page of the PDF (the lab client report has one per submission). */
export interface ReportPage {
  sections: readonly Section[];
}

export interface ReportDocument {
  language: Language;
  /** e.g. "Ringkasan kasus kabupaten — November 2026". */
  title: string;
  /** e.g. "Kabupaten Morowali, Sulawesi Tengah · 1–30 November 2026 (WITA)". */
  subtitle?: string;
  /** Letterhead on every PDF page: the lab's name and address for a lab client report. */
  letterhead?: { organisation: string; lines: readonly string[] };
  /** Footer line on every page, e.g. "iSIKHNAS · dibuat 1 Desember 2026 07.00 WITA". */
  footer: string;
  /** The headline figures, first in the e-mail and on the first page. */
  headlines: readonly Headline[];
  /** Pages of the PDF; the e-mail shows the sections of every page in order. */
  pages: readonly ReportPage[];
  /** Set when the period had no data: said instead of empty tables. */
  emptyNotice?: string;
}

/** A sheet of the Excel output; rows are streamed (a database cursor), never held whole. */
export interface DataSheet {
  name: string;
  columns: readonly Column[];
  rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>;
}
