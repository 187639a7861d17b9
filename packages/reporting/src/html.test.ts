import { describe, expect, it } from "vitest";
import { EMAIL_HTML_MAX_CHARS, renderEmail } from "./html.js";
import type { ReportDocument } from "./model.js";
import { chartCid, chartSections } from "./sections.js";
import { longTable, sampleDocument } from "./testing/documents.js";

function cids(doc: ReportDocument) {
  return chartSections(doc).map((_, index) => ({ cid: chartCid(index) }));
}

describe("renderEmail", () => {
  const doc = sampleDocument();
  const { html, text } = renderEmail(doc, cids(doc));

  it("escapes every text it is given", () => {
    const hostile = sampleDocument({
      title: "Laporan <script>alert(1)</script> & co",
      headlines: [{ label: 'Peternak "Budi" & <b>Sari</b>', value: 3 }],
      pages: [
        {
          sections: [
            {
              kind: "table",
              title: "Tom & Jerry",
              columns: [{ label: "Nama <i>" }],
              rows: [["<img src=x onerror=alert(1)>"]],
            },
          ],
        },
      ],
    });
    const body = renderEmail(hostile, []);
    expect(body.html).not.toContain("<script");
    expect(body.html).not.toContain("<img src=x");
    expect(body.html).not.toContain("<b>Sari");
    expect(body.html).toContain("Laporan &lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
    expect(body.html).toContain("Peternak &quot;Budi&quot; &amp; &lt;b&gt;Sari&lt;/b&gt;");
    expect(body.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(body.text).toContain("Laporan <script>alert(1)</script> & co");
  });

  it("shows each chart as a cid image, in the order of the sections", () => {
    const images = [...html.matchAll(/<img src="cid:([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]*)"/g)];
    expect(images.map((image) => image[1])).toEqual(["chart-1@isikhnas", "chart-2@isikhnas"]);
    expect(images.map((image) => image[4])).toEqual(["Kasus per kabupaten", "Proporsi spesies"]);
    expect(images[0]?.[2]).toBe("600");
    expect(html).not.toMatch(/<script|<link|<style|https?:/i);
  });

  it("formats the numbers and puts the headline figures first, in both bodies", () => {
    expect(html).toContain(">1.234.567</div>");
    expect(html).toContain(">1.042</td>");
    expect(html).toContain(">18,50</td>");
    expect(html).toContain(">6,5%</td>");
    expect(html).toContain(">7 November 2026</td>");
    const headline = text.indexOf("Kasus baru: 1.234.567");
    expect(headline).toBeGreaterThan(0);
    expect(headline).toBeLessThan(text.indexOf("Catatan"));
    expect(text).toContain("Suhu rata-rata: 38,5 °C");
    const english = renderEmail({ ...doc, language: "en" }, cids(doc));
    expect(english.html).toContain(">1,234,567</div>");
    expect(english.text).toContain("1,234,567");
  });

  it("lays the text tables out in columns and charts out as their figures", () => {
    const lines = text.split("\n");
    const header = lines.find((line) => line.startsWith("No.") && line.includes("Berat (kg)")) ?? "";
    const row = lines.find((line) => line.includes("Desa Ngapaean 7 ")) ?? "";
    expect(header.indexOf("Tanggal")).toBe(row.indexOf("7 November 2026"));
    // Numbers are right-aligned under their heading.
    expect(header.indexOf("Kasus") + "Kasus".length).toBe(row.indexOf("1.042") + "1.042".length);
    expect(text).toContain("Kasus per kabupaten\n-------------------\nKabupaten Morowali: 1.234\n");
    expect(text).toContain("Nomor pengiriman: BBV-MRS/2026/11/0042");
  });

  it("shows at most maxRows rows of a table, pointing to the workbook for the rest", () => {
    expect((html.match(/Desa Ngapaean \d+</g) ?? []).length).toBe(50);
    expect(html).toContain("… dan 150 baris lagi di lampiran Excel");
    expect(text).toContain("… dan 150 baris lagi di lampiran Excel");
    expect(text).not.toContain("Desa Ngapaean 51 ");
    const shorter = renderEmail(doc, cids(doc), { maxRows: 10 });
    expect(shorter.html).toContain("… dan 190 baris lagi di lampiran Excel");
    const english = renderEmail({ ...doc, language: "en" }, cids(doc));
    expect(english.html).toContain("… and 150 more rows in the attached workbook");
  });

  it("stays within the queue contract's limit however many rows are asked for", () => {
    const huge = sampleDocument({ pages: [{ sections: [longTable(20_000)] }] });
    const body = renderEmail(huge, [], { maxRows: 20_000 });
    expect(body.html.length).toBeLessThanOrEqual(EMAIL_HTML_MAX_CHARS);
    expect(body.html).toMatch(/… dan [\d.]+ baris lagi di lampiran Excel/);
  });

  it("says the empty notice instead of the sections, with no charts to attach", () => {
    const empty = sampleDocument({ emptyNotice: "Tidak ada laporan pada periode ini.", headlines: [] });
    expect(chartSections(empty)).toEqual([]);
    const body = renderEmail(empty, []);
    expect(body.html).toContain("Tidak ada laporan pada periode ini.");
    expect(body.html).not.toContain("cid:");
    expect(body.text).toContain("Tidak ada laporan pada periode ini.");
    expect(body.text).not.toContain("Laporan per desa");
  });

  it("gives a chart without an image its figures", () => {
    const body = renderEmail(doc, [{ cid: chartCid(0) }]);
    expect(body.html).toContain("cid:chart-1@isikhnas");
    expect(body.html).toContain("Ayam: <strong>150</strong>");
  });
});
