import { describe, expect, it } from "vitest";
import { rasteriseSvg, renderChartPng, renderChartSvg } from "./charts.js";
import type { ChartSpec } from "./model.js";

const bar: ChartSpec = {
  type: "bar",
  categories: ["Sapi", "Kambing", "Ayam buras"],
  series: [{ name: "Kasus", values: [1234, 12500, 80] }],
  valueLabel: "Jumlah kasus",
};

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function inkedPixels(pixels: Buffer): number {
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if ((pixels[i] ?? 255) < 200 || (pixels[i + 1] ?? 255) < 200 || (pixels[i + 2] ?? 255) < 200) count++;
  }
  return count;
}

describe("renderChartSvg", () => {
  it("draws the categories and the numbers in the reader's format", () => {
    const id = renderChartSvg(bar, { width: 600, height: 300, language: "id" });
    expect(id.startsWith("<svg")).toBe(true);
    for (const category of bar.categories) expect(id).toContain(`>${category}</text>`);
    expect(id).toContain(">12.500</text>");
    expect(id).toContain(">Jumlah kasus</text>");
    expect(id).toContain("font-family:DejaVu Sans");
    const en = renderChartSvg(bar, { width: 600, height: 300, language: "en" });
    expect(en).toContain(">12,500</text>");
  });

  it("draws every chart type, pie slices labelled with their share", () => {
    const pie = renderChartSvg(
      { type: "pie", categories: ["Sapi", "Babi"], series: [{ name: "Sampel", values: [3, 1] }] },
      { width: 400, height: 300, language: "id" },
    );
    expect(pie).toContain(">Sapi</text>");
    expect(pie).toContain("(75,0%)");
    const horizontal = renderChartSvg(
      { ...bar, type: "horizontal-bar" },
      { width: 400, height: 300, language: "en" },
    );
    expect(horizontal).toContain(">Ayam buras</text>");
    const line = renderChartSvg(
      { ...bar, type: "line", series: [...bar.series, { name: "Mati", values: [1, 2, 3] }] },
      { width: 400, height: 300, language: "en" },
    );
    expect(line).toContain(">Mati</text>");
  });
});

describe("renderChartPng", () => {
  it("is a PNG of width × scale by height × scale", () => {
    expect(pngSize(renderChartPng(bar, { width: 300, height: 150, language: "id", scale: 2 }))).toEqual({
      width: 600,
      height: 300,
    });
    expect(pngSize(renderChartPng(bar, { width: 320, height: 200, language: "id" }))).toEqual({
      width: 640,
      height: 400,
    });
  });

  it("is not blank, and its text is drawn with the embedded font", () => {
    const size = { width: 400, height: 250, language: "id" as const };
    const pixels = rasteriseSvg(renderChartSvg(bar, size), 1).pixels;
    expect(inkedPixels(pixels)).toBeGreaterThan(2000);
    // Only the labels differ: if resvg dropped text for want of a font, the images would match.
    const relabelled = rasteriseSvg(
      renderChartSvg({ ...bar, categories: ["Kerbau ≥ 2", "Domba °", "Москва"] }, size),
      1,
    ).pixels;
    expect(relabelled.length).toBe(pixels.length);
    expect(relabelled.equals(pixels)).toBe(false);
    // Nor is the difference only the layout: the same chart without any text has less ink.
    const unlabelled = rasteriseSvg(
      renderChartSvg({ ...bar, categories: ["", "", ""], valueLabel: "" }, size).replace(
        /<text[^>]*>[^<]*<\/text>/g,
        "",
      ),
      1,
    ).pixels;
    expect(inkedPixels(unlabelled)).toBeLessThan(inkedPixels(pixels) - 200);
  });
});
