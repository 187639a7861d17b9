// The workbook bad-input corpus: containers that are not what they claim (xls, xlsm, ods,
// encrypted, truncated, zip bombs, lying zip directories), sheets that claim a million
// rows or 16,384 columns in a few bytes, broken XML, formulas and errors in cells, and a
// valid vaccination tally with one cell made wrong in every way a sender manages.

import { metadata, VACCINATION_HEADER, vaccinationRows, workbookBuffer } from "@isikhnas/workbooks/testing";
import { deflateSync, strToU8, unzipSync, type Zippable, zipSync } from "fflate";
import type { CorpusFile } from "./corpus-sms.js";

type Entries = Record<string, Uint8Array>;

const text = (value: string) => strToU8(value);
const decode = (value: Uint8Array | undefined) => Buffer.from(value ?? new Uint8Array()).toString("utf8");

function zip(entries: Entries | Zippable, level: 0 | 6 | 9 = 6): Buffer {
  return Buffer.from(zipSync(entries as Zippable, { level, mtime: new Date("2026-01-01T00:00:00Z") }));
}

/** The tally as exceljs writes it: three rows and the hidden metadata sheet. */
async function tally(rows: unknown[][] = vaccinationRows(3)): Promise<Buffer> {
  const written = await workbookBuffer([
    { name: "Vaksinasi", rows: [VACCINATION_HEADER, ...rows] },
    metadata("vaccination_tally"),
  ]);
  // exceljs stamps the time of writing; a fixed one keeps the corpus the same on every run.
  const entries = unzipSync(new Uint8Array(written));
  const core = decode(entries["docProps/core.xml"]).replace(
    /\d{4}-\d{2}-\d{2}T[\d:.]+Z/g,
    "2026-01-01T00:00:00Z",
  );
  return edit(entries, { "docProps/core.xml": core });
}

function edit(base: Entries, changes: Record<string, string | Uint8Array | null>): Buffer {
  const entries: Entries = { ...base };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete entries[name];
    else entries[name] = typeof value === "string" ? text(value) : value;
  }
  return zip(entries);
}

function sheetXml(body: string, head = ""): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${head}<sheetData>${body}</sheetData></worksheet>`;
}

const HEADER_ROW = `<row r="1">${VACCINATION_HEADER.map(
  (label, index) => `<c r="${String.fromCharCode(65 + index)}1" t="inlineStr"><is><t>${label}</t></is></c>`,
).join("")}</row>`;

function dataRow(row: number, cells: string[]): string {
  return `<row r="${row}">${cells.map((cell, index) => cell.replace("@", `${String.fromCharCode(65 + index)}${row}`)).join("")}</row>`;
}

const VALID_CELLS = [
  '<c r="@" t="inlineStr"><is><t>101</t></is></c>',
  '<c r="@"><v>45658</v></c>',
  '<c r="@" t="inlineStr"><is><t>72060201</t></is></c>',
  '<c r="@" t="inlineStr"><is><t>SP</t></is></c>',
  '<c r="@"><v>10</v></c>',
  '<c r="@"><v>0</v></c>',
  '<c r="@" t="inlineStr"><is><t>Pak Vaksinator</t></is></c>',
];

/** Patches the uncompressed size an entry declares, in its local and central headers. */
function declareSize(file: Buffer, name: string, size: number): Buffer {
  const copy = Buffer.from(file);
  const encoded = Buffer.from(name, "utf8");
  for (let offset = 0; offset < copy.length - 46; offset++) {
    const signature = copy.readUInt32LE(offset);
    if (
      signature === 0x04034b50 &&
      copy.subarray(offset + 30, offset + 30 + encoded.length).equals(encoded)
    ) {
      copy.writeUInt32LE(size, offset + 22);
    }
    if (
      signature === 0x02014b50 &&
      copy.subarray(offset + 46, offset + 46 + encoded.length).equals(encoded)
    ) {
      copy.writeUInt32LE(size, offset + 24);
    }
  }
  return copy;
}

function ole(extra: Buffer): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  return Buffer.concat([header, extra]);
}

/** Zeros that deflate to almost nothing: the classic bomb's payload. */
function zeros(bytes: number): Uint8Array {
  return new Uint8Array(bytes);
}

async function containerCases(base: Buffer, entries: Entries): Promise<[string, Buffer][]> {
  const bomb = zeros(20 * 1024 * 1024);
  const bombDeflated = deflateSync(bomb, { level: 9 });
  return [
    ["empty.xlsx", Buffer.alloc(0)],
    ["one-byte.xlsx", Buffer.from([0x50])],
    ["zip-magic-only.xlsx", Buffer.from([0x50, 0x4b, 0x03, 0x04])],
    ["text.xlsx", Buffer.from("Program;Tanggal;Desa\n101;2025-01-01;72060201\n")],
    [
      "csv-named-xlsx.xlsx",
      Buffer.from(`${VACCINATION_HEADER.join(",")}\n101,2025-01-01,72060201,SP,10,0,Pak\n`),
    ],
    ["html.xlsx", Buffer.from("<html><body><table><tr><td>101</td></tr></table></body></html>")],
    ["pdf.xlsx", Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")],
    ["png.xlsx", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex")],
    ["legacy.xls", ole(Buffer.from("Workbook", "utf16le"))],
    ["legacy-named-xlsx.xlsx", ole(Buffer.alloc(2048, 0xff))],
    [
      "encrypted.xlsx",
      ole(
        Buffer.concat([
          Buffer.from("EncryptionInfo", "utf16le"),
          Buffer.alloc(600),
          Buffer.from("EncryptedPackage", "utf16le"),
        ]),
      ),
    ],
    ["ole-truncated.xls", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ["zip-empty.xlsx", Buffer.from("504b0506000000000000000000000000000000000000", "hex")],
    ["zip-no-workbook.xlsx", zip({ "hello.txt": text("hello") })],
    ["zip-directory-only.xlsx", zip({ "xl/": {} })],
    [
      "ods.ods",
      zip({
        mimetype: [text("application/vnd.oasis.opendocument.spreadsheet"), { level: 0 }],
        "content.xml": text("<office:document-content/>"),
        "META-INF/manifest.xml": text("<manifest/>"),
      } as Zippable),
    ],
    [
      "ods-named-xlsx.xlsx",
      zip({ mimetype: text("application/vnd.oasis.opendocument.spreadsheet"), "content.xml": text("<x/>") }),
    ],
    [
      "xlsb.xlsb",
      zip({ "[Content_Types].xml": text("<Types/>"), "xl/workbook.bin": new Uint8Array([0, 1, 2]) }),
    ],
    ["xlsm-vba.xlsm", edit(entries, { "xl/vbaProject.bin": ole(Buffer.from("VBA")) })],
    [
      "xlsm-content-type.xlsx",
      edit(entries, {
        "[Content_Types].xml": decode(entries["[Content_Types].xml"]).replace(
          "</Types>",
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
        ),
      }),
    ],
    ["xlsm-vba-nested-path.xlsx", edit(entries, { "xl/macros/VBAPROJECT.BIN": new Uint8Array([1]) })],
    ...[0.1, 0.3, 0.5, 0.7, 0.9, 0.99].map((share): [string, Buffer] => [
      `truncated-${Math.round(share * 100)}pct.xlsx`,
      base.subarray(0, Math.floor(base.length * share)),
    ]),
    ["truncated-no-eocd.xlsx", base.subarray(0, base.length - 22)],
    ["truncated-last-byte.xlsx", base.subarray(0, base.length - 1)],
    ["trailing-garbage.xlsx", Buffer.concat([base, Buffer.alloc(4096, 0x41)])],
    ["leading-garbage.xlsx", Buffer.concat([Buffer.from("MZ"), base])],
    ...[0.05, 0.2, 0.4, 0.6, 0.8, 0.95].map((share): [string, Buffer] => {
      const flipped = Buffer.from(base);
      const at = Math.floor(flipped.length * share);
      flipped[at] = (flipped[at] ?? 0) ^ 0xff;
      return [`bit-flip-${Math.round(share * 100)}pct.xlsx`, flipped];
    }),
    ["bomb-ratio.xlsx", edit(entries, { "xl/media/zeros.bin": bomb })],
    [
      "bomb-sheet.xlsx",
      edit(entries, {
        "xl/worksheets/sheet1.xml": strToU8(sheetXml(`${HEADER_ROW}<!--${" ".repeat(20 * 1024 * 1024)}-->`)),
      }),
    ],
    [
      "bomb-size-lie.xlsx",
      declareSize(edit(entries, { "xl/media/zeros.bin": bomb }), "xl/media/zeros.bin", 1000),
    ],
    [
      "bomb-sheet-size-lie.xlsx",
      declareSize(
        edit(entries, {
          "xl/worksheets/sheet1.xml": strToU8(
            sheetXml(`${HEADER_ROW}<!--${" ".repeat(20 * 1024 * 1024)}-->`),
          ),
        }),
        "xl/worksheets/sheet1.xml",
        900,
      ),
    ],
    ["bomb-nested-zip.xlsx", edit(entries, { "xl/embeddings/inner.zip": zip({ "zeros.bin": bomb }, 9) })],
    [
      "bomb-many-entries.xlsx",
      zip(
        {
          ...entries,
          ...Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`e/${i}`, new Uint8Array()])),
        },
        0,
      ),
    ],
    ["bomb-raw-deflate-named-xlsx.xlsx", Buffer.from(bombDeflated)],
    ["size-claims-4gib.xlsx", declareSize(base, "xl/worksheets/sheet1.xml", 0xffffffff)],
    ["size-claims-zero.xlsx", declareSize(base, "xl/worksheets/sheet1.xml", 0)],
    [
      "duplicate-entry-names.xlsx",
      Buffer.concat([
        base.subarray(0, 0),
        zip({
          ...entries,
          "xl/worksheets/Sheet1.xml": entries["xl/worksheets/sheet1.xml"] ?? new Uint8Array(),
        }),
      ]),
    ],
    ["stored-uncompressed.xlsx", zip(entries, 0)],
  ];
}

function xmlCases(entries: Entries): [string, Buffer][] {
  const sheet = (body: string, head = "") =>
    edit(entries, { "xl/worksheets/sheet1.xml": sheetXml(body, head) });
  const valid = dataRow(2, VALID_CELLS);
  const workbook = decode(entries["xl/workbook.xml"]);
  return [
    ["xml-workbook-missing.xlsx", edit(entries, { "xl/workbook.xml": null })],
    ["xml-workbook-garbage.xlsx", edit(entries, { "xl/workbook.xml": "not xml at all" })],
    [
      "xml-workbook-truncated.xlsx",
      edit(entries, { "xl/workbook.xml": workbook.slice(0, workbook.length / 2) }),
    ],
    [
      "xml-workbook-no-sheets.xlsx",
      edit(entries, { "xl/workbook.xml": workbook.replace(/<sheets>.*<\/sheets>/s, "<sheets/>") }),
    ],
    ["xml-workbook-sheet-missing-part.xlsx", edit(entries, { "xl/worksheets/sheet1.xml": null })],
    ["xml-rels-missing.xlsx", edit(entries, { "xl/_rels/workbook.xml.rels": null })],
    ["xml-rels-garbage.xlsx", edit(entries, { "xl/_rels/workbook.xml.rels": "<<<" })],
    ["xml-content-types-missing.xlsx", edit(entries, { "[Content_Types].xml": null })],
    [
      "xml-styles-garbage.xlsx",
      edit(entries, {
        "xl/styles.xml": "<styleSheet><numFmts count='1'><numFmt numFmtId='999' formatCode='",
      }),
    ],
    [
      "xml-shared-strings-garbage.xlsx",
      edit(entries, { "xl/sharedStrings.xml": "<sst><si><t>unterminated" }),
    ],
    ["xml-shared-strings-missing.xlsx", edit(entries, { "xl/sharedStrings.xml": null })],
    ["xml-sheet-empty-file.xlsx", edit(entries, { "xl/worksheets/sheet1.xml": "" })],
    [
      "xml-sheet-truncated.xlsx",
      edit(entries, { "xl/worksheets/sheet1.xml": sheetXml(HEADER_ROW + valid).slice(0, 600) }),
    ],
    [
      "xml-sheet-not-utf8.xlsx",
      edit(entries, {
        "xl/worksheets/sheet1.xml": Buffer.concat([
          Buffer.from(sheetXml(HEADER_ROW).slice(0, 400)),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
          Buffer.from(sheetXml(valid).slice(400)),
        ]),
      }),
    ],
    [
      "xml-sheet-utf16.xlsx",
      edit(entries, {
        "xl/worksheets/sheet1.xml": Buffer.from(
          sheetXml(HEADER_ROW + valid).replace("UTF-8", "UTF-16"),
          "utf16le",
        ),
      }),
    ],
    [
      "xml-sheet-nul.xlsx",
      sheet(`${HEADER_ROW}${dataRow(2, ['<c r="@" t="inlineStr"><is><t>1\u000001</t></is></c>'])}`),
    ],
    [
      "xml-billion-laughs.xlsx",
      edit(entries, {
        "xl/sharedStrings.xml": `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>`,
      }),
    ],
    [
      "xml-external-entity.xlsx",
      edit(entries, {
        "xl/sharedStrings.xml": `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>`,
      }),
    ],
    [
      "xml-deep-nesting.xlsx",
      sheet(`${HEADER_ROW}<row r="2">${"<x>".repeat(20000)}${"</x>".repeat(20000)}</row>`),
    ],
    [
      "xml-attribute-flood.xlsx",
      sheet(`${HEADER_ROW}<row r="2" ${Array.from({ length: 5000 }, (_, i) => `a${i}="${i}"`).join(" ")}/>`),
    ],
    ["dimension-claims-max.xlsx", sheet(HEADER_ROW + valid, '<dimension ref="A1:XFD1048576"/>')],
    ["dimension-garbage.xlsx", sheet(HEADER_ROW + valid, '<dimension ref="ZZZZZZ99999999999"/>')],
    [
      "rows-1048576-formatting.xlsx",
      sheet(
        `${HEADER_ROW}${valid}<row r="1048576" s="1" customFormat="1" ht="30" customHeight="1"/>`,
        '<dimension ref="A1:G1048576"/>',
      ),
    ],
    [
      "rows-formatted-gap.xlsx",
      sheet(
        `${HEADER_ROW}${valid}${Array.from({ length: 2000 }, (_, i) => `<row r="${3 + i * 500}" s="1" customFormat="1"/>`).join("")}`,
      ),
    ],
    ["row-at-1048576-with-data.xlsx", sheet(`${HEADER_ROW}${valid}${dataRow(1048576, VALID_CELLS)}`)],
    ["row-beyond-1048576.xlsx", sheet(`${HEADER_ROW}${valid}${dataRow(1048577, VALID_CELLS)}`)],
    [
      "row-number-zero.xlsx",
      sheet(`${HEADER_ROW}<row r="0">${VALID_CELLS.join("").replaceAll("@", "A0")}</row>`),
    ],
    ["row-number-negative.xlsx", sheet(`${HEADER_ROW}<row r="-5"><c r="A-5"><v>1</v></c></row>`)],
    ["row-number-text.xlsx", sheet(`${HEADER_ROW}<row r="two"><c r="Atwo"><v>1</v></c></row>`)],
    ["rows-out-of-order.xlsx", sheet(`${dataRow(3, VALID_CELLS)}${HEADER_ROW}${dataRow(2, VALID_CELLS)}`)],
    ["rows-repeated-number.xlsx", sheet(`${HEADER_ROW}${valid}${valid}`)],
    [
      "columns-16384-formatting.xlsx",
      sheet(
        HEADER_ROW + valid,
        '<cols><col min="1" max="16384" width="9" style="1" customWidth="1"/></cols>',
      ),
    ],
    [
      "column-xfd-with-data.xlsx",
      sheet(
        `${HEADER_ROW}<row r="2">${VALID_CELLS.join("").replaceAll('r="@"', "")}<c r="XFD2"><v>1</v></c></row>`,
      ),
    ],
    [
      "column-beyond-xfd.xlsx",
      sheet(`${HEADER_ROW}<row r="2"><c r="XFE2"><v>1</v></c><c r="ZZZZ2"><v>1</v></c></row>`),
    ],
    [
      "columns-61-filled.xlsx",
      sheet(
        `${HEADER_ROW}<row r="2">${Array.from({ length: 61 }, (_, i) => `<c><v>${i}</v></c>`).join("")}</row>`,
      ),
    ],
    [
      "cell-reference-garbage.xlsx",
      sheet(`${HEADER_ROW}<row r="2"><c r="!!"><v>1</v></c><c r="1A"><v>2</v></c></row>`),
    ],
    [
      "cell-shared-string-out-of-range.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, ['<c r="@" t="s"><v>99999</v></c>', '<c r="@" t="s"><v>-1</v></c>', '<c r="@" t="s"><v>x</v></c>'])}`,
      ),
    ],
    [
      "cell-boolean-garbage.xlsx",
      sheet(`${HEADER_ROW}${dataRow(2, ['<c r="@" t="b"><v>maybe</v></c>', ...VALID_CELLS.slice(1)])}`),
    ],
    [
      "cell-date-type-garbage.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, [VALID_CELLS[0]!, '<c r="@" t="d"><v>not a date</v></c>', ...VALID_CELLS.slice(2)])}`,
      ),
    ],
    [
      "cell-number-garbage.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, [...VALID_CELLS.slice(0, 4), '<c r="@"><v>1e99999</v></c>', '<c r="@"><v>NaN</v></c>', VALID_CELLS[6]!])}`,
      ),
    ],
    [
      "cell-unknown-type.xlsx",
      sheet(`${HEADER_ROW}${dataRow(2, ['<c r="@" t="zz"><v>101</v></c>', ...VALID_CELLS.slice(1)])}`),
    ],
    [
      "cell-error-values.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, ['<c r="@" t="e"><v>#REF!</v></c>', '<c r="@" t="e"><v>#VALUE!</v></c>', '<c r="@" t="e"><v>#N/A</v></c>', '<c r="@" t="e"><v>#DIV/0!</v></c>', '<c r="@" t="e"><v>#NUM!</v></c>', '<c r="@" t="e"><v>#NAME?</v></c>', '<c r="@" t="e"><v>#NULL!</v></c>'])}`,
      ),
    ],
    [
      "cell-formulas.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, ['<c r="@" t="str"><f>"10"&amp;"1"</f><v>101</v></c>', '<c r="@"><f>DATE(2025,1,1)</f><v>45658</v></c>', '<c r="@" t="str"><f>TEXT(72060201,"0")</f><v>72060201</v></c>', '<c r="@" t="str"><f>UPPER("sp")</f><v>SP</v></c>', '<c r="@"><f>5+5</f><v>10</v></c>', '<c r="@"><f>1/0</f></c>', '<c r="@" t="str"><f>HYPERLINK("http://x","P")</f><v>P</v></c>'])}`,
      ),
    ],
    [
      "cell-formulas-no-cached-value.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, ['<c r="@"><f>100+1</f></c>', '<c r="@"><f>TODAY()</f></c>', '<c r="@"><f>A1</f></c>', '<c r="@"><f>B1</f></c>', '<c r="@"><f>SUM(A:A)</f></c>', '<c r="@"><f>INDIRECT("Z99")</f></c>', '<c r="@"><f>WEBSERVICE("http://example.org")</f></c>'])}`,
      ),
    ],
    [
      "cell-shared-formula.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, VALID_CELLS)}${dataRow(3, [...VALID_CELLS.slice(0, 4), '<c r="@"><f t="shared" ref="E3:E9" si="0">E2+1</f><v>11</v></c>', '<c r="@"><f t="shared" si="7"/><v>1</v></c>', VALID_CELLS[6]!])}`,
      ),
    ],
    [
      "cell-array-formula.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, [...VALID_CELLS.slice(0, 4), '<c r="@"><f t="array" ref="E2:E1048576">ROW()</f><v>2</v></c>', ...VALID_CELLS.slice(5)])}`,
      ),
    ],
    [
      "cell-long-string.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, [...VALID_CELLS.slice(0, 6), `<c r="@" t="inlineStr"><is><t>${"x".repeat(32767)}</t></is></c>`])}`,
      ),
    ],
    [
      "cell-over-long-string.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, [`<c r="@" t="inlineStr"><is><t>${"7".repeat(200000)}</t></is></c>`, ...VALID_CELLS.slice(1)])}`,
      ),
    ],
    [
      "cell-rich-text.xlsx",
      sheet(
        `${HEADER_ROW}${dataRow(2, ['<c r="@" t="inlineStr"><is><r><rPr><b/></rPr><t>10</t></r><r><t>1</t></r></is></c>', ...VALID_CELLS.slice(1)])}`,
      ),
    ],
    [
      "merged-cells.xlsx",
      edit(entries, {
        "xl/worksheets/sheet1.xml": sheetXml(HEADER_ROW + valid).replace(
          "</sheetData>",
          '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        ),
      }),
    ],
    ["header-only.xlsx", sheet(HEADER_ROW)],
    ["no-rows.xlsx", sheet("")],
    ["header-duplicated.xlsx", sheet(`${HEADER_ROW.replace("Desa", "Program")}${valid}`)],
    [
      "header-blank-cells.xlsx",
      sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t></t></is></c></row>${valid}`),
    ],
    [
      "header-twice.xlsx",
      sheet(`${HEADER_ROW}${HEADER_ROW.replaceAll('1"', '2"')}${dataRow(3, VALID_CELLS)}`),
    ],
    ["metadata-missing.xlsx", edit(entries, { "xl/worksheets/sheet2.xml": null })],
    [
      "metadata-unknown-template.xlsx",
      edit(entries, {
        "xl/worksheets/sheet2.xml": sheetXml(
          '<row r="1"><c r="A1" t="inlineStr"><is><t>template_id</t></is></c><c r="B1" t="inlineStr"><is><t>no_such_template</t></is></c></row>',
        ),
      }),
    ],
    [
      "metadata-version-99.xlsx",
      edit(entries, {
        "xl/worksheets/sheet2.xml": sheetXml(
          '<row r="1"><c r="A1" t="inlineStr"><is><t>template_id</t></is></c><c r="B1" t="inlineStr"><is><t>vaccination_tally</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>version</t></is></c><c r="B2"><v>99</v></c></row>',
        ),
      }),
    ],
    [
      "metadata-garbage.xlsx",
      edit(entries, {
        "xl/worksheets/sheet2.xml": sheetXml(
          '<row r="1"><c r="A1"><v>1e308</v></c><c r="B1" t="e"><v>#REF!</v></c></row>',
        ),
      }),
    ],
  ];
}

/** Values a sender types (or a program writes) into one cell of an otherwise valid row. */
const BAD_VALUES: [string, unknown][] = [
  ["blank", ""],
  ["space", " "],
  ["text", "lima"],
  ["negative", -1],
  ["fraction", 2.5],
  ["huge", 1e308],
  ["huge-text", "99999999999999999999999"],
  ["formula-text", "=1+1"],
  ["formula", { formula: "1/0", result: { error: "#DIV/0!" } }],
  ["error", { error: "#REF!" }],
  ["boolean", true],
  ["date-1900", new Date(Date.UTC(1900, 0, 1))],
  ["date-9999", new Date(Date.UTC(9999, 11, 31))],
  ["emoji", "🐄"],
  ["long", "x".repeat(5000)],
  ["hyperlink", { text: "101", hyperlink: "http://example.org" }],
  ["rich-text", { richText: [{ text: "1" }, { font: { bold: true }, text: "01" }] }],
  ["sql", "101'; DROP TABLE vaccination_reports; --"],
];

/** Each bad value in two columns (a different pair for each), so every column meets many. */
async function cellCases(): Promise<[string, Buffer][]> {
  const cases: [string, Buffer][] = [];
  for (const [index, [name, value]] of BAD_VALUES.entries()) {
    for (const column of [index % VACCINATION_HEADER.length, (index + 3) % VACCINATION_HEADER.length]) {
      const rows = vaccinationRows(3);
      rows[1]![column] = value;
      const label = VACCINATION_HEADER[column]!.toLowerCase();
      cases.push([`cell-${column + 1}-${label}-${name}.xlsx`, await tally(rows)]);
    }
  }
  return cases;
}

export async function workbookCorpus(): Promise<CorpusFile[]> {
  const base = await tally();
  const entries = unzipSync(new Uint8Array(base));
  const cases: [string, Buffer][] = [
    ["valid.xlsx", base],
    ...(await containerCases(base, entries)),
    ...xmlCases(entries),
    ...(await cellCases()),
  ];
  return cases.map(([name, content]) => ({ name, content }));
}
