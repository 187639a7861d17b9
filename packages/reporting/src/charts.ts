// A ChartSpec drawn by echarts' server-side SVG renderer (vector, for the PDF) and that
// SVG rasterised by resvg with the embedded fonts (PNG, for the e-mail).
import { Resvg, type ResvgRenderOptions, renderAsync } from "@resvg/resvg-js";
import * as echarts from "echarts";
import PDFDocument from "pdfkit";
import { FONT_BOLD_PATH, FONT_FAMILY, FONT_REGULAR_PATH, pdfFonts } from "./fonts.js";
import { formatNumber, formatPercent } from "./format.js";
import type { ChartSpec, Language } from "./model.js";

// Callers that render a document's chart images find the charts here too.
export { CHART_HEIGHT, CHART_WIDTH, chartCid, chartSections } from "./sections.js";

export interface ChartSize {
  width: number;
  height: number;
  language: Language;
  /** Base font size in SVG pixels (default 12). */
  fontSize?: number;
}

export interface PngOptions extends ChartSize {
  /** Pixels per SVG pixel (default 2, sharp on high-density screens). */
  scale?: number;
}

/** Colour-blind-safe (after Okabe and Ito), dark enough for white labels and thin lines. */
export const CHART_PALETTE: readonly string[] = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#56B4E9",
  "#CC79A7",
  "#7F7F7F",
  "#B8860B",
];

const TEXT_COLOUR = "#333333";
const AXIS_COLOUR = "#666666";
/** Beyond this many bars or points, value labels would collide; the axis carries the scale. */
const MAX_LABELLED_VALUES = 16;

// Without a canvas, echarts guesses text widths from Helvetica-like constants and treats
// every other character as 1em wide; DejaVu Sans is wider, so labels overlapped or were
// cut. Measure with the real font metrics instead (pdfkit's font engine reads the TTF).
let measurer: PDFKit.PDFDocument | undefined;

function measureText(text: string, font?: string): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? "")?.[1] ?? 12);
  // zrender takes the width of "国" as the line height; DejaVu has no such glyph, and
  // the narrow placeholder made the lines of a two-line label overprint.
  if (text === "国") return { width: size };
  const fonts = pdfFonts();
  measurer ??= new PDFDocument({ font: fonts.regular, autoFirstPage: false });
  const bold = /\bbold\b|\b[6-9]00\b/.test(font ?? "");
  return {
    width: measurer
      .font(bold ? fonts.bold : fonts.regular)
      .fontSize(size)
      .widthOfString(text),
  };
}

echarts.setPlatformAPI({ measureText });

function numericValue(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return numericValue(value[value.length - 1]);
  return undefined;
}

/** The echarts option for a spec: no animation, DejaVu Sans, the reader's number format. */
export function chartOption(spec: ChartSpec, size: ChartSize): echarts.EChartsOption {
  const { language, width } = size;
  const fontSize = size.fontSize ?? 12;
  const number = (value: unknown): string => {
    const n = numericValue(value);
    return n === undefined ? "" : formatNumber(n, language);
  };
  const base: echarts.EChartsOption = {
    animation: false,
    color: [...CHART_PALETTE],
    textStyle: { fontFamily: FONT_FAMILY, fontSize, color: TEXT_COLOUR },
  };
  if (spec.type === "pie") {
    const values = spec.series[0]?.values ?? [];
    return {
      ...base,
      series: [
        {
          type: "pie",
          radius: "58%",
          center: ["50%", "52%"],
          avoidLabelOverlap: true,
          label: {
            fontSize,
            color: TEXT_COLOUR,
            formatter: (params) =>
              `${params.name}\n${number(params.value)} (${formatPercent(params.percent ?? 0, language)})`,
          },
          labelLine: { length: 10, length2: 12 },
          data: spec.categories.map((name, index) => ({ name, value: values[index] ?? 0 })),
        },
      ],
    };
  }
  const horizontal = spec.type === "horizontal-bar";
  const seriesType = spec.type === "line" ? "line" : "bar";
  const legend = spec.series.length > 1;
  const valueCount = spec.categories.length * spec.series.length;
  const showValues = valueCount <= MAX_LABELLED_VALUES;
  const categoryLabels = categoryAxisLabels(spec, width, fontSize, horizontal);
  const categoryAxis = {
    type: "category" as const,
    data: [...spec.categories],
    inverse: horizontal,
    axisTick: { alignWithLabel: true },
    axisLine: { lineStyle: { color: AXIS_COLOUR } },
    axisLabel: { color: TEXT_COLOUR, fontSize, ...categoryLabels },
  };
  const valueAxis = {
    type: "value" as const,
    name: spec.valueLabel,
    nameLocation: horizontal ? ("middle" as const) : ("end" as const),
    nameGap: horizontal ? fontSize * 2.2 : fontSize,
    nameTextStyle: {
      color: AXIS_COLOUR,
      fontSize,
      align: horizontal ? ("center" as const) : ("left" as const),
    },
    axisLabel: { color: AXIS_COLOUR, fontSize, formatter: (value: number) => formatNumber(value, language) },
    splitLine: { lineStyle: { color: "#E3E3E3" } },
  };
  return {
    ...base,
    legend: legend
      ? { top: 0, left: "center", itemWidth: 14, itemHeight: 10, textStyle: { fontSize, color: TEXT_COLOUR } }
      : { show: false },
    grid: {
      left: 8,
      right: horizontal ? fontSize * 3 : fontSize * 1.5,
      // The axis name and the top tick label are fitted inside by outerBounds.
      top: legend ? fontSize * 2.2 : fontSize * 0.5,
      bottom: 4,
      outerBoundsMode: "same",
      outerBoundsContain: "all",
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((series) => ({
      type: seriesType,
      name: series.name,
      data: [...series.values],
      ...(seriesType === "line" ? { symbol: "circle", symbolSize: 6, lineStyle: { width: 2 } } : {}),
      ...(seriesType === "bar" ? { barMaxWidth: 48 } : {}),
      label: {
        show: showValues,
        position: horizontal ? "right" : "top",
        fontSize: fontSize * 0.9,
        color: TEXT_COLOUR,
        formatter: (params: { value?: unknown }) => number(params.value),
      },
    })),
  } as echarts.EChartsOption;
}

/** Category labels that fit: rotated when they would overlap, cut off when still too long. */
function categoryAxisLabels(spec: ChartSpec, width: number, fontSize: number, horizontal: boolean) {
  const font = `${fontSize}px ${FONT_FAMILY}`;
  const widest = Math.max(0, ...spec.categories.map((label) => measureText(label, font).width));
  if (horizontal) {
    const limit = Math.round(width * 0.35);
    return { interval: 0, width: limit, overflow: "truncate" as const };
  }
  const slot = (width * 0.85) / Math.max(1, spec.categories.length);
  if (widest <= slot * 0.92) return { interval: 0, width: Math.floor(slot), overflow: "truncate" as const };
  return {
    interval: 0,
    rotate: widest > slot * 3 ? 45 : 30,
    width: Math.round(Math.min(widest, width * 0.3)) + 1,
    overflow: "truncate" as const,
  };
}

/** The chart as an SVG document (width × height in SVG pixels). */
export function renderChartSvg(spec: ChartSpec, size: ChartSize): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption(chartOption(spec, size));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG on white, (width × scale) × (height × scale) pixels. */
export function renderChartPng(spec: ChartSpec, options: PngOptions): Buffer {
  return rasteriseSvg(renderChartSvg(spec, options), options.scale ?? 2).asPng();
}

/**
 * An SVG already drawn (the one the PDF embeds) as a PNG, rasterised on libuv's thread
 * pool: the raster is most of a report's PNG cost, and meanwhile the event loop lays out
 * the PDF or another report on the other core.
 */
export async function rasteriseSvgToPng(svg: string, scale: number): Promise<Buffer> {
  return (await renderAsync(svg, resvgOptions(svg, scale))).asPng();
}

/** resvg with only the embedded fonts: what renders here renders on every server. */
export function rasteriseSvg(svg: string, scale: number) {
  return new Resvg(svg, resvgOptions(svg, scale)).render();
}

function resvgOptions(svg: string, scale: number): ResvgRenderOptions {
  return {
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    font: {
      // resvg reads and parses every font file it is given for each image; most charts
      // have no bold text, and skip the bold face's 700 kB.
      fontFiles: BOLD_TEXT.test(svg) ? [FONT_REGULAR_PATH, FONT_BOLD_PATH] : [FONT_REGULAR_PATH],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
    },
  };
}

/** How echarts' SVG (style attributes, CSS font shorthand) asks for a bold weight. */
const BOLD_TEXT = /\bbold(er)?\b|font-weight:\s*[6-9]00\b|\b[6-9]00 /;
