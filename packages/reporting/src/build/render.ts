// Lays an assembled report out in every medium its definition asks for and hands each
// file to a sink (the reports bucket in the daemon, a folder for an operator's preview).
// Files are streamed into the sink as they are written, never held whole.
import type { Writable } from "node:stream";
import type { ReportDefinition } from "@isikhnas/domain";
import { CHART_HEIGHT, CHART_WIDTH, chartSections, rasteriseSvgToPng, renderChartSvg } from "../charts.js";
import { writeWorkbook } from "../excel.js";
import { renderEmail } from "../html.js";
import { renderPdf } from "../pdf.js";
import type { AssembledReport } from "./assemble.js";

export interface StoredFile {
  key: string;
  size: number;
}

export interface ReportSink {
  /** Stores one file: `produce` writes it to the stream it is given and resolves when done. */
  write(name: string, contentType: string, produce: (out: Writable) => Promise<void>): Promise<StoredFile>;
}

export interface RenderedReport {
  pdf?: StoredFile & { filename: string };
  excel?: StoredFile & { filename: string; rows: number };
  charts: (StoredFile & { cid: string; title: string; filename: string })[];
  body: StoredFile;
  html: string;
  text: string;
}

export const CONTENT_TYPES = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  png: "image/png",
  json: "application/json",
} as const;

/**
 * Chart images in the e-mail, at 1.5 times their displayed size: sharp on high-density
 * screens, at half the pixels (raster and PNG encoding time) of twice the size.
 */
const EMAIL_CHART_SCALE = 1.5;

export async function renderReport(
  assembled: AssembledReport,
  definition: ReportDefinition,
  sink: ReportSink,
  fileStem: string,
): Promise<RenderedReport> {
  // The workbook first: its sheet's query (at a million cases most of the report's SQL,
  // sorted before the first row comes) runs on the database while this thread draws the
  // charts and lays out the PDF, and its rows are written as they arrive.
  const workbook: Promise<RenderedReport["excel"]> =
    definition.attach.excel && assembled.hasData
      ? writeExcel(assembled, sink, `${fileStem}.xlsx`)
      : Promise.resolve(undefined);
  // Awaited below; until then a failure must not surface as an unhandled rejection.
  workbook.catch(() => {});
  try {
    return await renderTheRest(assembled, definition, sink, fileStem, workbook);
  } catch (error) {
    // The workbook reads the caller's source, which it closes once this returns.
    await workbook.catch(() => {});
    throw error;
  }
}

async function renderTheRest(
  assembled: AssembledReport,
  definition: ReportDefinition,
  sink: ReportSink,
  fileStem: string,
  workbook: Promise<RenderedReport["excel"]>,
): Promise<RenderedReport> {
  const { document } = assembled;
  // Each chart is drawn once, as SVG: the PDF embeds it as vectors, and it is rasterised
  // for the e-mail on the thread pool while the PDF is laid out here.
  const sections = chartSections(document);
  const svgs = new Map(
    sections.map((section) => [
      section.chart,
      renderChartSvg(section.chart, {
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        language: document.language,
      }),
    ]),
  );
  const pngs = sections.map((section) =>
    rasteriseSvgToPng(svgs.get(section.chart) as string, EMAIL_CHART_SCALE),
  );
  // Awaited below; until then a failure must not surface as an unhandled rejection.
  for (const png of pngs) png.catch(() => {});

  let pdf: RenderedReport["pdf"];
  if (definition.attach.pdf) {
    const filename = `${fileStem}.pdf`;
    pdf = {
      ...(await sink.write(filename, CONTENT_TYPES.pdf, (out) =>
        renderPdf(document, out, { chartSvgs: svgs }),
      )),
      filename,
    };
  }

  const charts: RenderedReport["charts"] = [];
  for (const [index, section] of sections.entries()) {
    const png = await (pngs[index] as Promise<Buffer>);
    const filename = `chart-${index + 1}.png`;
    const stored = await sink.write(filename, CONTENT_TYPES.png, async (out) => endWith(out, png));
    charts.push({ ...stored, cid: `chart-${index + 1}@isikhnas`, title: section.title, filename });
  }

  const excel = await workbook;

  const { html, text } = renderEmail(
    document,
    charts.map((chart) => ({ cid: chart.cid })),
  );
  const body = await sink.write("body.json", CONTENT_TYPES.json, async (out) =>
    endWith(out, Buffer.from(JSON.stringify({ subject: assembled.subject, html, text }))),
  );
  return { ...(pdf ? { pdf } : {}), ...(excel ? { excel } : {}), charts, body, html, text };
}

async function writeExcel(
  assembled: AssembledReport,
  sink: ReportSink,
  filename: string,
): Promise<RenderedReport["excel"]> {
  const { document } = assembled;
  let rows = 0;
  const stored = await sink.write(filename, CONTENT_TYPES.xlsx, async (out) => {
    rows = (
      await writeWorkbook(out, {
        language: document.language,
        title: document.title,
        sheets: assembled.sheets,
        summary: document,
      })
    ).rows;
  });
  return { ...stored, filename, rows };
}

function endWith(out: Writable, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once("error", reject);
    out.end(bytes, () => resolve());
  });
}
