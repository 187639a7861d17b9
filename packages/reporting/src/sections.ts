// The order in which the e-mail shows a document's sections, which is also the order in
// which the caller renders chart images and assigns their cids.
import type { ChartSection, ReportDocument, Section } from "./model.js";

/**
 * The one size a report's chart is drawn at, in SVG pixels: the e-mail shows it at this
 * size in CSS pixels and the PDF scales the same SVG to its text width (the PDF's
 * proportions, 0.48), so each chart is laid out by echarts once for both media.
 */
export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 288;

/** Every page's sections in order; none when the empty notice stands in for them. */
export function shownSections(doc: ReportDocument): Section[] {
  return doc.emptyNotice !== undefined ? [] : doc.pages.flatMap((page) => [...page.sections]);
}

/** The chart sections in the order the e-mail shows them. */
export function chartSections(doc: ReportDocument): ChartSection[] {
  return shownSections(doc).filter((section): section is ChartSection => section.kind === "chart");
}

/** A Content-ID for the index-th chart (from 0): chart-1@isikhnas, chart-2@isikhnas, … */
export function chartCid(index: number): string {
  return `chart-${index + 1}@isikhnas`;
}
