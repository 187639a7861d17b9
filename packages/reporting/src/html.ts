// A ReportDocument as an e-mail body: HTML that mail clients show as meant (tables for
// layout, inline styles, charts as cid: images) and a plain-text alternative.
import { formatCell, formatHeadline, formatNumber, isNumericColumn } from "./format.js";
import type {
  ChartSection,
  ChartSpec,
  Column,
  FieldsSection,
  Language,
  ReportDocument,
  TableSection,
  TextSection,
} from "./model.js";
import { CHART_HEIGHT, CHART_WIDTH, shownSections } from "./sections.js";

/** The emailoutput contract's limits on the two bodies. */
export const EMAIL_HTML_MAX_CHARS = 200_000;
export const EMAIL_TEXT_MAX_CHARS = 100_000;

/** The size at which the e-mail shows a chart: the size it is drawn at for both media. */
export const EMAIL_CHART_WIDTH = CHART_WIDTH;
export const EMAIL_CHART_HEIGHT = CHART_HEIGHT;

export const DEFAULT_EMAIL_MAX_ROWS = 50;

export interface EmailChart {
  /** The Content-ID of the attached PNG, without angle brackets. */
  cid: string;
  /** Display size in CSS pixels; default EMAIL_CHART_WIDTH × EMAIL_CHART_HEIGHT. */
  width?: number;
  height?: number;
}

export interface EmailOptions {
  /** Rows shown per table; the rest are left to the attached workbook. */
  maxRows?: number;
}

export interface EmailBody {
  html: string;
  text: string;
}

const WORDS = {
  id: {
    moreRows: (k: number) => `… dan ${formatNumber(k, "id")} baris lagi di lampiran Excel`,
    noRows: "Tidak ada data.",
  },
  en: {
    moreRows: (k: number) => `… and ${formatNumber(k, "en")} more rows in the attached workbook`,
    noRows: "No data.",
  },
} as const;

const FONT = "'DejaVu Sans',Verdana,Arial,Helvetica,sans-serif";
const INK = "#222222";
const MUTED = "#5f6368";
const LIGHT_RULE = "#e3e6ea";

/**
 * The e-mail bodies. `charts` gives the cid of each ChartSection in chartSections order;
 * a chart without one is shown as its figures. Tables are cut to `maxRows`, fewer if the
 * bodies would otherwise exceed the queue contract's limits.
 */
export function renderEmail(
  doc: ReportDocument,
  charts: readonly EmailChart[],
  options: EmailOptions = {},
): EmailBody {
  let maxRows = Math.max(0, options.maxRows ?? DEFAULT_EMAIL_MAX_ROWS);
  for (;;) {
    const body = { html: renderHtml(doc, charts, maxRows), text: renderText(doc, maxRows) };
    const fits = body.html.length <= EMAIL_HTML_MAX_CHARS && body.text.length <= EMAIL_TEXT_MAX_CHARS;
    if (fits || maxRows === 0) return body;
    maxRows = Math.floor(maxRows / 2);
  }
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// ---------------------------------------------------------------------------------------
// HTML

function renderHtml(doc: ReportDocument, charts: readonly EmailChart[], maxRows: number): string {
  const parts: string[] = [];
  parts.push(
    `<h1 style="margin:0 0 6px;font-size:22px;line-height:1.3;font-weight:bold;color:${INK};">${escapeHtml(doc.title)}</h1>`,
  );
  if (doc.subtitle) {
    parts.push(
      `<p style="margin:0 0 18px;font-size:14px;line-height:1.4;color:${MUTED};">${escapeHtml(doc.subtitle)}</p>`,
    );
  }
  parts.push(headlinesHtml(doc));
  if (doc.emptyNotice !== undefined) {
    parts.push(
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px;"><tr><td style="padding:18px;background-color:#fff6db;border:1px solid #e2c36b;font-size:16px;font-weight:bold;text-align:center;color:${INK};">${escapeHtml(doc.emptyNotice)}</td></tr></table>`,
    );
  }
  let chartIndex = 0;
  for (const section of shownSections(doc)) {
    switch (section.kind) {
      case "table":
        parts.push(tableHtml(section, doc.language, maxRows));
        break;
      case "chart":
        parts.push(chartHtml(section, charts[chartIndex], doc.language));
        chartIndex++;
        break;
      case "text":
        parts.push(textHtml(section));
        break;
      case "fields":
        parts.push(fieldsHtml(section));
        break;
    }
  }
  parts.push(
    `<p style="margin:24px 0 0;padding-top:10px;border-top:1px solid ${LIGHT_RULE};font-size:11px;line-height:1.4;color:${MUTED};">${escapeHtml(doc.footer)}</p>`,
  );
  return [
    "<!DOCTYPE html>",
    `<html lang="${doc.language}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(doc.title)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:#f2f4f6;">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f2f4f6;"><tr><td align="center" style="padding:16px 8px;">`,
    `<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background-color:#ffffff;border:1px solid #dde1e5;">`,
    `<tr><td style="padding:24px 20px;font-family:${FONT};font-size:14px;color:${INK};">`,
    parts.join("\n"),
    "</td></tr></table>",
    "</td></tr></table>",
    "</body></html>",
  ].join("\n");
}

function headlinesHtml(doc: ReportDocument): string {
  if (doc.headlines.length === 0) return "";
  const perRow = Math.min(4, doc.headlines.length);
  const rows: string[] = [];
  for (let start = 0; start < doc.headlines.length; start += perRow) {
    const cells = doc.headlines
      .slice(start, start + perRow)
      .map(
        (headline) =>
          `<td width="${Math.floor(100 / perRow)}%" valign="top" style="padding:10px 12px;background-color:#f6f8fa;border:4px solid #ffffff;">` +
          `<div style="font-size:24px;line-height:1.2;font-weight:bold;color:${INK};">${escapeHtml(formatHeadline(headline, doc.language))}</div>` +
          `<div style="font-size:12px;line-height:1.3;color:${MUTED};">${escapeHtml(headline.label)}</div></td>`,
      );
    rows.push(`<tr>${cells.join("")}</tr>`);
  }
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 12px;border-collapse:collapse;">${rows.join("")}</table>`;
}

function sectionTitleHtml(title: string | undefined): string {
  if (!title) return "";
  return `<h2 style="margin:24px 0 8px;font-size:16px;line-height:1.3;font-weight:bold;color:${INK};">${escapeHtml(title)}</h2>`;
}

function cellStyle(column: Column, extra: string): string {
  const align = isNumericColumn(column) ? "right" : "left";
  const wrap = isNumericColumn(column) ? "white-space:nowrap;" : "";
  return `padding:5px 6px;text-align:${align};${wrap}${extra}`;
}

function tableHtml(table: TableSection, language: Language, maxRows: number): string {
  const header = table.columns
    .map(
      (column) =>
        `<th style="${cellStyle(column, "background-color:#e6ecf2;border-bottom:1px solid #c3c8ce;font-weight:bold;")}">${escapeHtml(column.label)}</th>`,
    )
    .join("");
  const rowHtml = (cells: readonly (string | number | null)[], extra: string): string =>
    `<tr>${table.columns
      .map(
        (column, index) =>
          `<td style="${cellStyle(column, extra)}">${escapeHtml(formatCell(cells[index] ?? null, column, language))}</td>`,
      )
      .join("")}</tr>`;
  const shown = table.rows.slice(0, maxRows);
  const body = shown.map((row) => rowHtml(row, `border-bottom:1px solid ${LIGHT_RULE};`));
  if (table.rows.length === 0) {
    body.push(
      `<tr><td colspan="${table.columns.length}" style="padding:6px;color:${MUTED};">${escapeHtml(WORDS[language].noRows)}</td></tr>`,
    );
  }
  if (table.totals) {
    body.push(
      rowHtml(table.totals, "font-weight:bold;background-color:#f1f3f5;border-top:1px solid #c3c8ce;"),
    );
  }
  const hidden = table.rows.length - shown.length;
  const note =
    hidden > 0
      ? `<p style="margin:6px 0 0;font-size:12px;font-style:italic;color:${MUTED};">${escapeHtml(WORDS[language].moreRows(hidden))}</p>`
      : "";
  return `${sectionTitleHtml(table.title)}<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-family:${FONT};font-size:13px;line-height:1.35;color:${INK};"><thead><tr>${header}</tr></thead><tbody>${body.join("")}</tbody></table>${note}`;
}

function chartHtml(section: ChartSection, chart: EmailChart | undefined, language: Language): string {
  if (!chart) {
    // No image for it: the figures still reach the reader.
    const lines = chartLines(section.chart, language).map(
      (line) =>
        `<li style="margin:0 0 2px;">${escapeHtml(line.label)}: <strong>${escapeHtml(line.value)}</strong></li>`,
    );
    return `${sectionTitleHtml(section.title)}<ul style="margin:0;padding-left:20px;font-size:13px;line-height:1.4;">${lines.join("")}</ul>`;
  }
  const width = chart.width ?? EMAIL_CHART_WIDTH;
  const height = chart.height ?? EMAIL_CHART_HEIGHT;
  return `${sectionTitleHtml(section.title)}<img src="cid:${escapeHtml(chart.cid)}" width="${width}" height="${height}" alt="${escapeHtml(section.title)}" style="display:block;width:100%;max-width:${width}px;height:auto;border:0;outline:none;">`;
}

function textHtml(section: TextSection): string {
  const paragraphs = section.paragraphs.map(
    (paragraph) => `<p style="margin:0 0 10px;font-size:14px;line-height:1.5;">${escapeHtml(paragraph)}</p>`,
  );
  return `${sectionTitleHtml(section.title)}${paragraphs.join("")}`;
}

function fieldsHtml(section: FieldsSection): string {
  const rows = section.fields.map(
    (field) =>
      `<tr><td valign="top" width="35%" style="padding:4px 8px 4px 0;font-size:13px;color:${MUTED};">${escapeHtml(field.label)}</td><td valign="top" style="padding:4px 0;font-size:14px;">${escapeHtml(field.value)}</td></tr>`,
  );
  return `${sectionTitleHtml(section.title)}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${rows.join("")}</table>`;
}

// ---------------------------------------------------------------------------------------
// Plain text

/** A chart's figures as label/value lines; several series share a category's line. */
function chartLines(chart: ChartSpec, language: Language): { label: string; value: string }[] {
  return chart.categories.map((category, index) => {
    const value = (series: ChartSpec["series"][number]): string => {
      const n = series.values[index];
      return n === undefined ? "" : formatNumber(n, language);
    };
    if (chart.series.length === 1 && chart.series[0])
      return { label: category, value: value(chart.series[0]) };
    return {
      label: category,
      value: chart.series.map((series) => `${series.name} ${value(series)}`).join(", "),
    };
  });
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return right ? fill + text : text + fill;
}

function heading(title: string): string {
  return `${title}\n${"-".repeat(Math.min(width(title), 72))}`;
}

function tableText(table: TableSection, language: Language, maxRows: number): string {
  const shown = table.rows.slice(0, maxRows);
  const lines: string[][] = [table.columns.map((column) => column.label)];
  for (const row of shown) {
    lines.push(table.columns.map((column, index) => formatCell(row[index] ?? null, column, language)));
  }
  if (table.totals) {
    const totals = table.totals;
    lines.push(table.columns.map((column, index) => formatCell(totals[index] ?? null, column, language)));
  }
  const widths = table.columns.map((_, index) => Math.max(...lines.map((line) => width(line[index] ?? ""))));
  const format = (line: string[]): string =>
    line
      .map((text, index) => {
        const column = table.columns[index] as Column;
        return pad(text, widths[index] ?? 0, isNumericColumn(column));
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((size) => "-".repeat(size)).join("  ");
  const out = [format(lines[0] ?? []), rule];
  const bodyEnd = 1 + shown.length;
  for (const line of lines.slice(1, bodyEnd)) out.push(format(line));
  if (table.rows.length === 0) out.push(WORDS[language].noRows);
  if (table.totals) {
    out.push(rule);
    out.push(format(lines[bodyEnd] ?? []));
  }
  const hidden = table.rows.length - shown.length;
  if (hidden > 0) out.push(WORDS[language].moreRows(hidden));
  return `${heading(table.title)}\n${out.join("\n")}`;
}

function renderText(doc: ReportDocument, maxRows: number): string {
  const blocks: string[] = [];
  const underline = "=".repeat(Math.min(width(doc.title), 72));
  blocks.push(doc.subtitle ? `${doc.title}\n${underline}\n${doc.subtitle}` : `${doc.title}\n${underline}`);
  if (doc.headlines.length > 0) {
    blocks.push(
      doc.headlines
        .map((headline) => `${headline.label}: ${formatHeadline(headline, doc.language)}`)
        .join("\n"),
    );
  }
  if (doc.emptyNotice !== undefined) blocks.push(doc.emptyNotice);
  for (const section of shownSections(doc)) {
    switch (section.kind) {
      case "table":
        blocks.push(tableText(section, doc.language, maxRows));
        break;
      case "chart":
        blocks.push(
          `${heading(section.title)}\n${chartLines(section.chart, doc.language)
            .map((line) => `${line.label}: ${line.value}`)
            .join("\n")}`,
        );
        break;
      case "text":
        blocks.push(
          `${section.title ? `${heading(section.title)}\n` : ""}${section.paragraphs.join("\n\n")}`,
        );
        break;
      case "fields":
        blocks.push(
          [
            ...(section.title ? [heading(section.title)] : []),
            ...section.fields.map((field) => `${field.label}: ${field.value}`),
          ].join("\n"),
        );
        break;
    }
  }
  blocks.push(`--\n${doc.footer}`);
  return `${blocks.join("\n\n")}\n`;
}
