import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPdf, renderPdfBuffer } from "./pdf.js";
import { sampleDocument } from "./testing/documents.js";

const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reporting-pdf-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pdftotext(file: string, page?: number): Promise<string> {
  const range = page === undefined ? [] : ["-f", String(page), "-l", String(page)];
  return (await run("pdftotext", ["-layout", ...range, file, "-"])).stdout;
}

async function pdfinfo(file: string): Promise<Record<string, string>> {
  const { stdout } = await run("pdfinfo", [file]);
  return Object.fromEntries(
    stdout
      .split("\n")
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1] ?? "", match[2] ?? ""]),
  );
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe("renderPdf", () => {
  let file: string;
  let text: string;
  let pages: number;

  beforeAll(async () => {
    file = join(dir, "report.pdf");
    await renderPdf(sampleDocument(), createWriteStream(file));
    text = await pdftotext(file);
    pages = Number((await pdfinfo(file)).Pages);
  });

  it("keeps Indonesian names, symbols, Greek and Cyrillic exactly", () => {
    expect(text).toContain("Ni Luh Putu Ayu Kusumawati");
    expect(text).toContain("drh. I Gusti Ngurah Agung Wiradarma");
    expect(text).toContain("suhu ≥ 40 °C");
    expect(text).toContain("38,5 °C");
    expect(text).toContain("Positif ≥ 2 uji");
    expect(text).toContain("Ελλάδα, Москва");
    expect(text).toContain("Ringkasan kasus kabupaten — November 2026");
  });

  it("formats numbers and dates in Indonesian", () => {
    expect(text).toContain("1.234.567");
    expect(text).toMatch(/200\s+Desa Ngapaean 200\s+20 November 2026\s+2\.393\s+211,50\s+99,5%/);
    expect(text).toMatch(/Jumlah\s+200\.000/);
    // The chart is vector: its axis labels are text in the PDF.
    expect(text).toContain("12.500");
  });

  it("continues the long table over pages with its header, losing no row", () => {
    for (let n = 1; n <= 200; n++) expect(text).toMatch(new RegExp(`\\bDesa Ngapaean ${n}\\b`));
    expect(count(text, "Laporan per desa (lanjutan)")).toBeGreaterThanOrEqual(3);
    expect(count(text, "Berat (kg)")).toBe(count(text, "Laporan per desa (lanjutan)") + 1);
  });

  it("puts the letterhead and 'hal. N dari M' on every page, each ReportPage on a new one", async () => {
    expect(pages).toBeGreaterThanOrEqual(5);
    for (let page = 1; page <= pages; page++) {
      const pageText = await pdftotext(file, page);
      expect(pageText).toContain("Balai Besar Veteriner Maros");
      expect(pageText).toContain("Jl. Dr. Sam Ratulangi No. 2, Maros");
      expect(pageText).toContain("iSIKHNAS · dibuat 1 Desember 2026 07.00 WITA");
      expect(pageText).toContain(`hal. ${page} dari ${pages}`);
    }
    const first = await pdftotext(file, 1);
    expect(first).toContain("Kabupaten Morowali, Sulawesi Tengah");
    expect(first).toContain("Kasus baru");
    const last = await pdftotext(file, pages);
    expect(last).toContain("Pengiriman sampel");
    expect(last).not.toContain("Desa Ngapaean");
    expect(await pdftotext(file, pages - 1)).toMatch(/Jumlah\s+200\.000/);
  });

  it("embeds DejaVu Sans and no standard font", async () => {
    const { stdout } = await run("pdffonts", [file]);
    const fonts = stdout.split("\n").slice(2).filter(Boolean);
    expect(fonts.some((line) => /\+DejaVuSans\s.*\syes\s+yes\s+yes/.test(line))).toBe(true);
    expect(fonts.some((line) => /\+DejaVuSans-Bold\s.*\syes\s+yes\s+yes/.test(line))).toBe(true);
    expect(fonts.every((line) => line.includes("DejaVuSans"))).toBe(true);
    expect(stdout).not.toMatch(/Helvetica|Times|Courier/);
  });

  it("scales a chart to the text width: 600 SVG pixels over 495 pt, its 12 px axis name at 9.9 pt", async () => {
    const { stdout } = await run("pdftotext", ["-f", "1", "-l", "1", "-bbox", file, "-"]);
    const words = [
      ...stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g),
    ].map((match) => ({ yMin: Number(match[2]), yMax: Number(match[4]), text: match[5] }));
    // The value axis's name, "Jumlah kasus" (12 px in the SVG).
    const index = words.findIndex((word, at) => word.text === "Jumlah" && words[at + 1]?.text === "kasus");
    const name = words[index];
    if (!name) throw new Error("no axis name on page 1");
    // DejaVu Sans's box is 1.164 em tall: 9.9 pt type gives 11.5 pt; drawn at its own
    // 600 px (450 pt) it would be 9 pt type, 10.5 pt.
    expect(name.yMax - name.yMin).toBeCloseTo(9.9 * 1.164, 0);
  });

  it("sets the title and author", async () => {
    const info = await pdfinfo(file);
    expect(info.Title).toBe("Ringkasan kasus kabupaten — November 2026");
    expect(info.Author).toBe("iSIKHNAS");
    expect(info["Page size"]).toContain("(A4)");
  });
});

describe("renderPdfBuffer", () => {
  it("lays out a document the same however many were laid out before it (text layouts are shared)", async () => {
    // The creation date and the file id are the only bytes allowed to differ.
    const comparable = (pdf: Buffer) =>
      pdf
        .toString("latin1")
        .replace(/\(D:\d{14}Z\)/g, "")
        .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/, "");
    const first = await renderPdfBuffer(sampleDocument());
    const again = await renderPdfBuffer(sampleDocument());
    expect(again.length).toBe(first.length);
    expect(comparable(again)).toBe(comparable(first));
  });

  it("prints the empty notice instead of the sections", async () => {
    const file = join(dir, "empty.pdf");
    const pdf = await renderPdfBuffer(
      sampleDocument({ emptyNotice: "Tidak ada laporan kasus pada periode ini.", headlines: [] }),
    );
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await writeFile(file, pdf);
    const text = await pdftotext(file);
    expect(text).toContain("Tidak ada laporan kasus pada periode ini.");
    expect(text).not.toContain("Laporan per desa");
    expect(text).toContain("hal. 1 dari 1");
    expect((await pdfinfo(file)).Pages).toBe("1");
  });

  it("speaks English for an English document, without a letterhead", async () => {
    const file = join(dir, "en.pdf");
    const { letterhead: _, ...rest } = sampleDocument();
    const pdf = await renderPdfBuffer({
      ...rest,
      language: "en",
      title: "District case summary",
      footer: "iSIKHNAS · generated 1 December 2026 07:00 WITA",
      headlines: [{ label: "New cases", value: 1234567 }],
      pages: [{ sections: [{ kind: "text", paragraphs: ["Only text."] }] }],
    });
    await writeFile(file, pdf);
    const text = await pdftotext(file);
    expect(text).toContain("1,234,567");
    expect(text).toContain("page 1 of 1");
    expect(text).not.toContain("Balai Besar");
  });
});
