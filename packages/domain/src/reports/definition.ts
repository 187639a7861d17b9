// The shape of a report definition: data, not code. A definition names its schedule, the
// scopes it is built for, who receives it, its SQL, and how each query's rows become
// headline figures, tables, charts and Excel sheets. The report generator interprets it;
// adding a report is adding a definition.
import type { ReportKind } from "@isikhnas/contracts";
import type { Cadence } from "./periods.js";

/** A text in both reply languages. */
export interface Text {
  id: string;
  en: string;
}

export type ColumnFormat = "text" | "integer" | "decimal" | "percent" | "date";

export interface ColumnSpec {
  /** The query's column. */
  column: string;
  label: Text;
  format?: ColumnFormat;
  width?: number;
}

export type ChartType = "bar" | "horizontal-bar" | "line" | "pie";

export type SectionSpec =
  | {
      kind: "table";
      title: Text;
      query: string;
      columns: readonly ColumnSpec[];
      /** Columns summed into a totals row (the first column says "Total"). */
      totals?: readonly string[];
      /** Said instead of the table when the query returns no rows. */
      emptyText?: Text;
    }
  | {
      kind: "chart";
      title: Text;
      query: string;
      type: ChartType;
      /** The column of category labels. */
      category: string;
      series: readonly { column: string; label: Text }[];
      valueLabel?: Text;
    }
  | {
      kind: "fields";
      title?: Text;
      /** The first row's columns, shown as label: value. */
      query: string;
      fields: readonly ColumnSpec[];
    }
  | { kind: "text"; title?: Text; paragraphs: readonly Text[] };

export type ScopeLevel = "district" | "province" | "submission";

/**
 * Every SQL text may use these placeholders, bound as parameters (never spliced):
 * `{start}` and `{end}` (timestamptz, the period's bounds), `{scope}` (text: a district or
 * province code, or a submission id), `{language}` ('id' or 'en'), `{timeZone}` (the
 * scope's zone, for local dates), and `{param:<name>}` for a request's parameters.
 */
export type Sql = string;

export interface ReportDefinition {
  /** The reportrequest `report` value and the report_runs code. */
  code: ReportKind;
  title: Text;
  /** One line on what the report is for (the CLI's list, the e-mail's opening). */
  description: Text;
  /** Absent: ad hoc only (reportrequest). `delayHours` after the period's end, local time. */
  schedule?: { cadence: Cadence; delayHours: number };
  scope: ScopeLevel;
  /**
   * The scopes a scheduled period is built for: rows of `scope`, `name` and `time_zone`.
   * Uses `{start}`, `{end}` and `{timeZone}` (only scopes of that zone).
   */
  scopes?: Sql;
  /** The scope's display name: one row of `name` (and optionally `parent_name`). */
  scopeName: Sql;
  /** Who receives it: rows of `address`, `language`, `name`. Uses `{scope}`, `{start}`, `{end}`. */
  recipients: Sql;
  /** Named queries the headlines and sections refer to. */
  queries: Readonly<Record<string, Sql>>;
  /** Figures from one row of a query. */
  headlines: readonly { label: Text; query: string; column: string; format?: ColumnFormat }[];
  /** A query returning one row with a `count` column: zero means "no data", said instead of empty tables. */
  dataCount: Sql;
  emptyNotice: Text;
  /** Printed on every page of the PDF, from one row of `organisation`, `line1`, `line2`. */
  letterhead?: Sql;
  /** Pages of the PDF; the e-mail shows every page's sections in order. */
  pages: readonly { sections: readonly SectionSpec[] }[];
  /** The Excel workbook: one sheet per query, streamed from a cursor. */
  dataSheets: readonly { name: Text; query: Sql; columns: readonly ColumnSpec[] }[];
  /** Which files are attached (the HTML body is always sent). */
  attach: { pdf: boolean; excel: boolean };
}

/** One of the two texts. */
export function say(text: Text, language: "id" | "en"): string {
  return text[language];
}
