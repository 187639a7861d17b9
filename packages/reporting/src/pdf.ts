// A ReportDocument laid out as an A4 PDF: letterhead and footer on every page, headline
// boxes, tables that continue across pages, vector charts, text and form fields.
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { CHART_HEIGHT, CHART_WIDTH, renderChartSvg } from "./charts.js";
import { pdfFonts } from "./fonts.js";
import { formatCell, formatHeadline, isNumericColumn } from "./format.js";
import type {
  Cell,
  ChartSection,
  ChartSpec,
  Column,
  FieldsSection,
  Language,
  ReportDocument,
  Section,
  TableSection,
  TextSection,
} from "./model.js";

type Pdf = PDFKit.PDFDocument;

const REGULAR = "DejaVuSans";
const BOLD = "DejaVuSans-Bold";

const MARGIN = 50;
const LETTERHEAD_TOP = 32;
const BOTTOM_MARGIN = 62;
const SECTION_GAP = 16;

const INK = "#222222";
const MUTED = "#5F6368";
const RULE = "#C3C8CE";
const LIGHT_RULE = "#E3E6EA";
const HEADER_FILL = "#E6ECF2";
const TOTALS_FILL = "#F1F3F5";
const BOX_FILL = "#F6F8FA";
const NOTICE_FILL = "#FFF6DB";
const NOTICE_RULE = "#E2C36B";

const TABLE_FONT_SIZE = 8.5;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;

const WORDS = {
  id: {
    page: (n: number, m: number) => `hal. ${n} dari ${m}`,
    continued: "lanjutan",
    noRows: "Tidak ada data.",
  },
  en: {
    page: (n: number, m: number) => `page ${n} of ${m}`,
    continued: "continued",
    noRows: "No data.",
  },
} as const;

export interface PdfOptions {
  /**
   * The document's charts already drawn as SVG (CHART_WIDTH × CHART_HEIGHT), when the
   * caller has them for the e-mail's PNGs too; any other chart is drawn here.
   */
  chartSvgs?: ReadonlyMap<ChartSpec, string>;
}

interface Layout {
  pdf: Pdf;
  chartSvgs: ReadonlyMap<ChartSpec, string> | undefined;
  doc: ReportDocument;
  language: Language;
  left: number;
  width: number;
}

/** Writes the PDF to `out` and ends it; resolves when `out` has finished. */
export async function renderPdf(doc: ReportDocument, out: Writable, options: PdfOptions = {}): Promise<void> {
  const pdf = layOut(doc, options);
  await pipeline(pdf, out);
}

export async function renderPdfBuffer(doc: ReportDocument, options: PdfOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await renderPdf(
    doc,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    options,
  );
  return Buffer.concat(chunks);
}

/** The whole document drawn and ended: a readable stream of the PDF bytes. */
function layOut(doc: ReportDocument, options: PdfOptions): Pdf {
  const fonts = pdfFonts();
  const top = doc.letterhead ? LETTERHEAD_TOP + letterheadHeight(doc) + 14 : MARGIN;
  const pdf = new PDFDocument({
    size: "A4",
    // The default font would be Helvetica, which is then embedded in the file's resources;
    // start with DejaVu so the standard fonts never appear.
    font: fonts.regular,
    margins: { top, bottom: BOTTOM_MARGIN, left: MARGIN, right: MARGIN },
    // Footers need the page count, known only at the end.
    bufferPages: true,
    lang: doc.language === "id" ? "id-ID" : "en-GB",
    displayTitle: true,
    info: {
      Title: doc.title,
      Author: "iSIKHNAS",
      Creator: "iSIKHNAS",
      ...(doc.subtitle ? { Subject: doc.subtitle } : {}),
    },
  });
  pdf.registerFont(REGULAR, fonts.regular);
  pdf.registerFont(BOLD, fonts.bold);
  const layout: Layout = {
    pdf,
    chartSvgs: options.chartSvgs,
    doc,
    language: doc.language,
    left: MARGIN,
    width: pdf.page.width - 2 * MARGIN,
  };

  drawTitle(layout);
  drawHeadlines(layout);
  if (doc.emptyNotice !== undefined) {
    drawNotice(layout, doc.emptyNotice);
  } else {
    doc.pages.forEach((page, index) => {
      if (index > 0) pdf.addPage();
      for (const section of page.sections) drawSection(layout, section);
    });
  }
  drawPageFurniture(layout);
  pdf.end();
  return pdf;
}

function useFont(pdf: Pdf, bold: boolean, size: number, colour = INK): Pdf {
  return pdf
    .font(bold ? BOLD : REGULAR)
    .fontSize(size)
    .fillColor(colour);
}

function bottom(pdf: Pdf): number {
  return pdf.page.height - pdf.page.margins.bottom;
}

/** Starts a new page unless `height` more points fit on this one. */
function ensureSpace(layout: Layout, height: number): void {
  if (layout.pdf.y + height > bottom(layout.pdf)) {
    layout.pdf.addPage();
  }
}

function letterheadHeight(doc: ReportDocument): number {
  if (!doc.letterhead) return 0;
  // Measured on a scratch document: the real one needs this height for its margins.
  const fonts = pdfFonts();
  const measurer = new PDFDocument({ size: "A4", font: fonts.bold });
  const width = measurer.page.width - 2 * MARGIN;
  let height = measurer.fontSize(13).heightOfString(doc.letterhead.organisation, { width }) + 3;
  measurer.font(fonts.regular).fontSize(8.5);
  for (const line of doc.letterhead.lines) height += measurer.heightOfString(line, { width });
  return height + 6;
}

function drawPageFurniture(layout: Layout): void {
  const { pdf, doc, left, width } = layout;
  const range = pdf.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    pdf.switchToPage(index);
    // Text below the bottom margin would otherwise make pdfkit open a fresh page.
    const savedBottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    if (doc.letterhead) {
      let y = LETTERHEAD_TOP;
      useFont(pdf, true, 13).text(doc.letterhead.organisation, left, y, { width });
      y = pdf.y + 3;
      useFont(pdf, false, 8.5, MUTED);
      for (const line of doc.letterhead.lines) {
        pdf.text(line, left, y, { width });
        y = pdf.y;
      }
      y += 6;
      pdf
        .moveTo(left, y)
        .lineTo(left + width, y)
        .lineWidth(1)
        .strokeColor(RULE)
        .stroke();
    }
    const footerY = pdf.page.height - 44;
    pdf
      .moveTo(left, footerY - 6)
      .lineTo(left + width, footerY - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    const pageLabel = WORDS[layout.language].page(index - range.start + 1, range.count);
    useFont(pdf, false, 8, MUTED);
    const pageWidth = pdf.widthOfString(pageLabel) + 2;
    pdf.text(doc.footer, left, footerY, { width: width - pageWidth - 12 });
    pdf.text(pageLabel, left + width - pageWidth, footerY, { width: pageWidth, align: "right" });
    pdf.page.margins.bottom = savedBottom;
  }
}

function drawTitle(layout: Layout): void {
  const { pdf, doc, left, width } = layout;
  useFont(pdf, true, 18).text(doc.title, left, pdf.page.margins.top, { width });
  if (doc.subtitle) {
    pdf.moveDown(0.2);
    useFont(pdf, false, 10.5, MUTED).text(doc.subtitle, left, pdf.y, { width });
  }
  pdf.y += 12;
}

function drawHeadlines(layout: Layout): void {
  const { pdf, doc, left, width, language } = layout;
  const perRow = Math.min(4, doc.headlines.length);
  if (perRow === 0) return;
  const gap = 10;
  const boxWidth = (width - gap * (perRow - 1)) / perRow;
  const inner = boxWidth - 16;
  for (let start = 0; start < doc.headlines.length; start += perRow) {
    const row = doc.headlines.slice(start, start + perRow);
    const heights = row.map((headline) => {
      const valueHeight = useFont(pdf, true, 16).heightOfString(formatHeadline(headline, language), {
        width: inner,
      });
      const labelHeight = useFont(pdf, false, 8.5).heightOfString(headline.label, { width: inner });
      return { valueHeight, labelHeight };
    });
    const boxHeight = Math.max(...heights.map((h) => h.valueHeight + h.labelHeight)) + 20;
    ensureSpace(layout, boxHeight);
    const y = pdf.y;
    row.forEach((headline, index) => {
      const x = left + index * (boxWidth + gap);
      pdf.roundedRect(x, y, boxWidth, boxHeight, 4).lineWidth(0.75).fillAndStroke(BOX_FILL, LIGHT_RULE);
      useFont(pdf, true, 16).text(formatHeadline(headline, language), x + 8, y + 8, { width: inner });
      useFont(pdf, false, 8.5, MUTED).text(
        headline.label,
        x + 8,
        y + 10 + (heights[index]?.valueHeight ?? 0),
        {
          width: inner,
        },
      );
    });
    pdf.x = left;
    pdf.y = y + boxHeight + gap;
  }
  pdf.y += SECTION_GAP - gap;
}

function drawNotice(layout: Layout, notice: string): void {
  const { pdf, left, width } = layout;
  const inner = width - 40;
  const height = useFont(pdf, true, 13).heightOfString(notice, { width: inner, align: "center" }) + 36;
  ensureSpace(layout, height);
  const y = pdf.y + 8;
  pdf.roundedRect(left, y, width, height, 6).lineWidth(1).fillAndStroke(NOTICE_FILL, NOTICE_RULE);
  useFont(pdf, true, 13).text(notice, left + 20, y + 18, { width: inner, align: "center" });
  pdf.x = left;
  pdf.y = y + height + SECTION_GAP;
}

function drawSection(layout: Layout, section: Section): void {
  switch (section.kind) {
    case "table":
      drawTable(layout, section);
      break;
    case "chart":
      drawChart(layout, section);
      break;
    case "text":
      drawText(layout, section);
      break;
    case "fields":
      drawFields(layout, section);
      break;
  }
  layout.pdf.x = layout.left;
  layout.pdf.y += SECTION_GAP;
}

function titleHeight(layout: Layout, title: string | undefined): number {
  if (!title) return 0;
  return useFont(layout.pdf, true, 11.5).heightOfString(title, { width: layout.width }) + 5;
}

/** Draws a section title, keeping it on the same page as the first `following` points. */
function drawSectionTitle(layout: Layout, title: string | undefined, following: number): void {
  const { pdf, left, width } = layout;
  ensureSpace(layout, titleHeight(layout, title) + following);
  if (!title) return;
  useFont(pdf, true, 11.5).text(title, left, pdf.y, { width });
  pdf.y += 5;
}

interface TableRowStyle {
  bold: boolean;
  fill?: string;
  /** Header cells are labels, but follow their column's alignment. */
  header?: boolean;
}

function drawTable(layout: Layout, table: TableSection): void {
  const { pdf, left, width, language } = layout;
  const weights = table.columns.map((column) => Math.max(column.width ?? 1, 0.1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const widths = weights.map((weight) => (weight / total) * width);
  const headerCells: Cell[] = table.columns.map((column) => column.label);
  const texts = (cells: readonly Cell[], header: boolean): string[] =>
    table.columns.map((column, index) => {
      const cell = cells[index] ?? null;
      return header ? String(cell ?? "") : formatCell(cell, column, language);
    });
  const measure = (cells: string[], bold: boolean): number => {
    useFont(pdf, bold, TABLE_FONT_SIZE);
    let tallest = 0;
    cells.forEach((text, index) => {
      const cellWidth = (widths[index] ?? 0) - 2 * CELL_PAD_X;
      tallest = Math.max(tallest, pdf.heightOfString(text || " ", { width: cellWidth }));
    });
    return tallest + 2 * CELL_PAD_Y;
  };
  const draw = (cells: string[], style: TableRowStyle, height: number): void => {
    const y = pdf.y;
    if (style.fill) pdf.rect(left, y, width, height).fill(style.fill);
    useFont(pdf, style.bold, TABLE_FONT_SIZE);
    let x = left;
    cells.forEach((text, index) => {
      const cellWidth = widths[index] ?? 0;
      const column = table.columns[index] as Column;
      pdf.text(text, x + CELL_PAD_X, y + CELL_PAD_Y, {
        width: cellWidth - 2 * CELL_PAD_X,
        align: isNumericColumn(column) ? "right" : "left",
      });
      x += cellWidth;
    });
    pdf
      .moveTo(left, y + height)
      .lineTo(left + width, y + height)
      .lineWidth(style.header ? 0.75 : 0.4)
      .strokeColor(style.header ? RULE : LIGHT_RULE)
      .stroke();
    pdf.y = y + height;
  };

  const header = texts(headerCells, true);
  const headerHeight = measure(header, true);
  const firstRow = table.rows[0];
  const firstHeight = firstRow ? measure(texts(firstRow, false), false) : 0;
  drawSectionTitle(layout, table.title, headerHeight + firstHeight);
  draw(header, { bold: true, fill: HEADER_FILL, header: true }, headerHeight);

  const continueOnNewPage = (): void => {
    pdf.addPage();
    useFont(pdf, false, 8.5, MUTED).text(`${table.title} (${WORDS[language].continued})`, left, pdf.y, {
      width,
    });
    pdf.y += 3;
    draw(header, { bold: true, fill: HEADER_FILL, header: true }, headerHeight);
  };

  if (table.rows.length === 0) {
    useFont(pdf, false, TABLE_FONT_SIZE, MUTED).text(WORDS[language].noRows, left + CELL_PAD_X, pdf.y + 4, {
      width: width - 2 * CELL_PAD_X,
    });
  }
  for (const row of table.rows) {
    const cells = texts(row, false);
    const height = measure(cells, false);
    if (pdf.y + height > bottom(pdf)) continueOnNewPage();
    draw(cells, { bold: false }, height);
  }
  if (table.totals) {
    const cells = texts(table.totals, false);
    const height = measure(cells, true);
    if (pdf.y + height > bottom(pdf)) continueOnNewPage();
    pdf
      .moveTo(left, pdf.y)
      .lineTo(left + width, pdf.y)
      .lineWidth(0.75)
      .strokeColor(RULE)
      .stroke();
    draw(cells, { bold: true, fill: TOTALS_FILL }, height);
  }
}

function drawChart(layout: Layout, section: ChartSection): void {
  const { pdf, left, width, language } = layout;
  const height = Math.round(width * 0.48);
  drawSectionTitle(layout, section.title, height);
  // Scaled to the text width: 600 SVG pixels over 495 pt, so 12 px labels print at 9.9 pt.
  const svg =
    layout.chartSvgs?.get(section.chart) ??
    renderChartSvg(section.chart, { width: CHART_WIDTH, height: CHART_HEIGHT, language });
  const y = pdf.y;
  // The typings declare the PDFDocument class where the function takes an instance.
  SVGtoPDF(pdf as unknown as typeof PDFDocument, svg, left, y, {
    width,
    height,
    // Without it svg-to-pdfkit draws the SVG at its own width (600 px as 450 pt) inside
    // the box and leaves the rest of the text width empty.
    preserveAspectRatio: "xMidYMid meet",
    fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
    warningCallback: () => {},
  });
  pdf.x = left;
  pdf.y = y + height;
}

function drawText(layout: Layout, section: TextSection): void {
  const { pdf, left, width } = layout;
  const options = { width, lineGap: 2 };
  const firstHeight = section.paragraphs[0]
    ? Math.min(useFont(pdf, false, 10).heightOfString(section.paragraphs[0], options), 60)
    : 0;
  drawSectionTitle(layout, section.title, firstHeight);
  section.paragraphs.forEach((paragraph, index) => {
    const height = useFont(pdf, false, 10).heightOfString(paragraph, options);
    // A paragraph taller than a page flows on by itself; a shorter one is kept whole.
    if (height <= bottom(pdf) - pdf.page.margins.top) ensureSpace(layout, height);
    pdf.text(paragraph, left, pdf.y, options);
    if (index < section.paragraphs.length - 1) pdf.y += 6;
  });
}

function drawFields(layout: Layout, section: FieldsSection): void {
  const { pdf, left, width } = layout;
  const labelWidth = Math.round(width * 0.32);
  const valueWidth = width - labelWidth - 10;
  const heightOf = (field: { label: string; value: string }): number =>
    Math.max(
      useFont(pdf, false, 9).heightOfString(field.label, { width: labelWidth }),
      useFont(pdf, false, 10).heightOfString(field.value || " ", { width: valueWidth }),
    ) + 5;
  const first = section.fields[0];
  drawSectionTitle(layout, section.title, first ? heightOf(first) : 0);
  for (const field of section.fields) {
    const height = heightOf(field);
    ensureSpace(layout, height);
    const y = pdf.y;
    useFont(pdf, false, 9, MUTED).text(field.label, left, y + 1, { width: labelWidth });
    useFont(pdf, false, 10).text(field.value, left + labelWidth + 10, y, { width: valueWidth });
    pdf.y = y + height;
  }
}
