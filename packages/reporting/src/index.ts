// @isikhnas/reporting: one medium-free ReportDocument laid out as PDF, HTML e-mail and
// Excel, with charts drawn server-side.
export {
  CHART_PALETTE,
  type ChartSize,
  chartOption,
  type PngOptions,
  rasteriseSvg,
  renderChartPng,
  renderChartSvg,
} from "./charts.js";
export { excelValue, type WorkbookInput, type WorkbookResult, writeWorkbook } from "./excel.js";
export { FONT_BOLD_PATH, FONT_FAMILY, FONT_REGULAR_PATH } from "./fonts.js";
export {
  type CellOptions,
  cellDate,
  cellNumber,
  formatCell,
  formatDate,
  formatDateTime,
  formatMonth,
  formatNumber,
  formatPercent,
  isNumericColumn,
  localeOf,
  type NumberOptions,
  timeZoneAbbreviation,
} from "./format.js";
export {
  DEFAULT_EMAIL_MAX_ROWS,
  EMAIL_CHART_HEIGHT,
  EMAIL_CHART_WIDTH,
  EMAIL_HTML_MAX_CHARS,
  EMAIL_TEXT_MAX_CHARS,
  type EmailBody,
  type EmailChart,
  type EmailOptions,
  escapeHtml,
  renderEmail,
} from "./html.js";
export type {
  Cell,
  ChartSection,
  ChartSpec,
  Column,
  DataSheet,
  FieldsSection,
  Language,
  ReportDocument,
  ReportPage,
  Section,
  TableSection,
  TextSection,
} from "./model.js";
export { type PdfOptions, renderPdf, renderPdfBuffer } from "./pdf.js";
export { chartCid, chartSections, shownSections } from "./sections.js";
