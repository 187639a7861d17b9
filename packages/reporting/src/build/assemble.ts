// Interprets a report definition: runs its queries for one (period, scope, language) and
// fills the medium-free ReportDocument and the Excel sheets (streamed from a cursor).
import {
  bindReportSql,
  type ColumnSpec,
  type ReportBindings,
  type ReportDefinition,
  type SectionSpec,
  say,
  TIME_ZONES,
  type TimeZone,
} from "@isikhnas/domain";
import type { Queryable } from "@isikhnas/platform";
import { formatDate, formatDateTime, formatMonth } from "../format.js";
import type { Cell, Column, DataSheet, ReportDocument, Section } from "../model.js";

/** Reads the replica: plain queries, and a cursor for the large sheets. */
export interface ReportSource extends Queryable {
  stream(text: string, values: readonly unknown[]): AsyncIterable<Record<string, unknown>>;
}

export interface ReportContext {
  language: "id" | "en";
  scope: string;
  timeZone: TimeZone;
  /** The period's key and bounds; null bounds for ad hoc reports. */
  period: { key: string; start: Date | null; end: Date | null; lastDay?: string };
  parameters?: Readonly<Record<string, string | number | boolean>>;
  generatedAt: Date;
  /** "[iSIKHNAS]" or the training tag, before the subject. */
  systemTag: string;
}

export interface AssembledReport {
  document: ReportDocument;
  sheets: DataSheet[];
  /** False when the period had nothing to report (the document says so). */
  hasData: boolean;
  subject: string;
}

const TOTAL = { id: "Jumlah", en: "Total" };

export async function assembleReport(
  source: ReportSource,
  definition: ReportDefinition,
  context: ReportContext,
): Promise<AssembledReport> {
  const bindings: ReportBindings = {
    start: context.period.start,
    end: context.period.end,
    scope: context.scope,
    language: context.language,
    timeZone: context.timeZone,
    ...(context.parameters ? { parameters: context.parameters } : {}),
  };
  const run = async (sql: string) => {
    const bound = bindReportSql(sql, bindings);
    return (await source.query(bound.text, bound.values)).rows as Record<string, unknown>[];
  };
  const language = context.language;

  const [countRow] = await run(definition.dataCount);
  const hasData = Number(countRow?.count ?? 0) > 0;
  const [place] = await run(definition.scopeName);
  const letterhead = definition.letterhead ? (await run(definition.letterhead))[0] : undefined;

  // Each named query runs once, however many sections show it.
  const results = new Map<string, Record<string, unknown>[]>();
  const rowsOf = async (name: string) => {
    let rows = results.get(name);
    if (!rows) {
      const sql = definition.queries[name];
      if (sql === undefined) throw new Error(`report ${definition.code} has no query ${name}`);
      rows = await run(sql);
      results.set(name, rows);
    }
    return rows;
  };

  const headlines = [];
  const pages = [];
  if (hasData) {
    for (const headline of definition.headlines) {
      const [row] = await rowsOf(headline.query);
      headlines.push({
        label: say(headline.label, language),
        value: toCell(row?.[headline.column]) ?? 0,
        ...(headline.format ? { format: headline.format } : {}),
      });
    }
    for (const page of definition.pages) {
      const sections: Section[] = [];
      for (const spec of page.sections) sections.push(await sectionOf(spec, rowsOf, language));
      pages.push({ sections });
    }
  }

  const title = say(definition.title, language);
  const periodLabel = describePeriod(context, language);
  const placeLabel = place ? [place.name, place.parent_name].filter(Boolean).join(", ") : context.scope;
  const zone = TIME_ZONES[context.timeZone].abbreviation;
  const document: ReportDocument = {
    language,
    title,
    subtitle: [placeLabel, periodLabel && `${periodLabel} (${zone})`].filter(Boolean).join(" · "),
    ...(letterhead
      ? {
          letterhead: {
            organisation: String(letterhead.organisation ?? ""),
            lines: [letterhead.line1, letterhead.line2].filter((line) => line).map(String),
          },
        }
      : {}),
    footer: `iSIKHNAS · ${say(definition.description, language)} · ${
      language === "en" ? "generated" : "dibuat"
    } ${formatDateTime(context.generatedAt, language, context.timeZone)}`,
    headlines,
    pages: hasData ? pages : [{ sections: [] }],
    ...(hasData ? {} : { emptyNotice: say(definition.emptyNotice, language) }),
  };

  const sheets: DataSheet[] = hasData
    ? definition.dataSheets.map((sheet) => ({
        name: say(sheet.name, language),
        columns: sheet.columns.map((column) => columnOf(column, language)),
        rows: streamRows(source, bindReportSql(sheet.query, bindings), sheet.columns),
      }))
    : [];
  const subject = [context.systemTag, title, periodLabel, placeLabel].filter(Boolean).join(" · ");
  return { document, sheets, hasData, subject };
}

async function sectionOf(
  spec: SectionSpec,
  rowsOf: (name: string) => Promise<Record<string, unknown>[]>,
  language: "id" | "en",
): Promise<Section> {
  switch (spec.kind) {
    case "text":
      return {
        kind: "text",
        ...(spec.title ? { title: say(spec.title, language) } : {}),
        paragraphs: spec.paragraphs.map((paragraph) => say(paragraph, language)),
      };
    case "fields": {
      const [row] = await rowsOf(spec.query);
      return {
        kind: "fields",
        ...(spec.title ? { title: say(spec.title, language) } : {}),
        fields: spec.fields.map((field) => ({
          label: say(field.label, language),
          value: row?.[field.column] == null ? "–" : String(row[field.column]),
        })),
      };
    }
    case "chart": {
      const rows = await rowsOf(spec.query);
      return {
        kind: "chart",
        title: say(spec.title, language),
        chart: {
          type: spec.type,
          categories: rows.map((row) => String(row[spec.category] ?? "")),
          series: spec.series.map((series) => ({
            name: say(series.label, language),
            values: rows.map((row) => Number(row[series.column] ?? 0)),
          })),
          ...(spec.valueLabel ? { valueLabel: say(spec.valueLabel, language) } : {}),
        },
      };
    }
    case "table": {
      const rows = await rowsOf(spec.query);
      if (rows.length === 0 && spec.emptyText) {
        return {
          kind: "text",
          title: say(spec.title, language),
          paragraphs: [say(spec.emptyText, language)],
        };
      }
      const totals = spec.totals;
      return {
        kind: "table",
        title: say(spec.title, language),
        columns: spec.columns.map((column) => columnOf(column, language)),
        rows: rows.map((row) => spec.columns.map((column) => toCell(row[column.column]))),
        ...(totals && rows.length > 0
          ? {
              totals: spec.columns.map((column, index) => {
                if (totals.includes(column.column)) {
                  return rows.reduce((sum, row) => sum + Number(row[column.column] ?? 0), 0);
                }
                return index === 0 ? say(TOTAL, language) : null;
              }),
            }
          : {}),
      };
    }
  }
}

function columnOf(column: ColumnSpec, language: "id" | "en"): Column {
  return {
    label: say(column.label, language),
    ...(column.format ? { format: column.format } : {}),
    ...(column.width ? { width: column.width } : {}),
  };
}

/** Database values as cells: numbers stay numbers, dates become ISO days. */
function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

async function* streamRows(
  source: ReportSource,
  bound: { text: string; values: unknown[] },
  columns: readonly ColumnSpec[],
): AsyncIterable<Cell[]> {
  for await (const row of source.stream(bound.text, bound.values)) {
    yield columns.map((column) => toCell(row[column.column]));
  }
}

/** "November 2026", "23–29 November 2026", "30 November 2026"; empty for ad hoc reports. */
export function describePeriod(
  context: Pick<ReportContext, "period" | "timeZone">,
  language: "id" | "en",
): string {
  const { key, start, end } = context.period;
  if (!start || !end) return "";
  const last = new Date(end.getTime() - 1);
  if (/^\d{4}-\d{2}$/.test(key)) return formatMonth(start, language, context.timeZone);
  const first = formatDate(start, language, context.timeZone);
  const final = formatDate(last, language, context.timeZone);
  return first === final ? first : `${first} – ${final}`;
}
