import { labSubmissions, METADATA_SHEET, TEMPLATE_DEFINITIONS } from "@isikhnas/domain";
import type ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { generateTemplate, type ReferenceCode } from "./template-workbook.js";
import { readWorkbook } from "./testing/workbooks.js";

const codeLists = new Map<string, ReferenceCode[]>([
  [
    "SP",
    [
      { code: "SP", label: "Sapi" },
      { code: "KB", label: "Kambing" },
    ],
  ],
  ["JS", [{ code: "SER", label: "Serum" }]],
  ["BS", [{ code: "SG", label: "Segar" }]],
  ["BL", [{ code: "PAR", label: "Parasitologi" }]],
]);

function validations(worksheet: ExcelJS.Worksheet): Record<string, { type: string; formulae: unknown[] }> {
  return (
    worksheet as unknown as {
      dataValidations: { model: Record<string, { type: string; formulae: unknown[] }> };
    }
  ).dataValidations.model;
}

describe("generateTemplate", () => {
  it.each(TEMPLATE_DEFINITIONS.map((template) => [template.id, template] as const))(
    "%s: data sheets with headers, the reference sheet, and hidden metadata",
    async (_id, template) => {
      const workbook = await readWorkbook(await generateTemplate(template, { codeLists, language: "id" }));
      const names = workbook.worksheets.map((sheet) => sheet.name);
      expect(names).toEqual([...template.sheets.map((sheet) => sheet.name.id), "Kode", METADATA_SHEET]);
      for (const sheet of template.sheets) {
        const header = workbook.getWorksheet(sheet.name.id)?.getRow(1).values as unknown[];
        expect(header.slice(1)).toEqual(
          sheet.columns.map((c) => (c.required ? `${c.header.id} *` : c.header.id)),
        );
      }
      const metadata = workbook.getWorksheet(METADATA_SHEET);
      expect(metadata?.state).toBe("hidden");
      expect(metadata?.getRow(1).values).toEqual([undefined, "template_id", template.id]);
      expect(metadata?.getRow(2).values).toEqual([undefined, "version", template.version]);
    },
  );

  it("puts drop-downs fed from the code lists, and whole-number checks, on the data columns", async () => {
    const workbook = await readWorkbook(
      await generateTemplate(labSubmissions, {
        codeLists,
        references: new Map([["lab", [{ code: "730801", label: "BBVet Maros" }]]]),
        language: "en",
      }),
    );
    const submissions = workbook.getWorksheet("Submissions");
    if (!submissions) throw new Error("no Submissions sheet");
    const model = validations(submissions);
    // Species is column D; specimen type E; count H; lab I.
    // exceljs reads a range validation back cell by cell.
    expect(model.D2).toMatchObject({ type: "list", formulae: ["'Codes'!$A$5:$A$6"] });
    expect(model.D5001).toMatchObject({ type: "list", formulae: ["'Codes'!$A$5:$A$6"] });
    expect(model.E2).toMatchObject({ type: "list", formulae: ["'Codes'!$D$5:$D$5"] });
    // The specimens table takes 1–10,000 a row, like the LAB command.
    expect(model.H2).toMatchObject({ type: "whole", formulae: [1, 10000] });
    expect(model.I2?.type).toBe("list");
    expect(model.B2).toBeUndefined();
    const codes = workbook.getWorksheet("Codes");
    expect(codes?.getCell("A5").value).toBe("SP");
    expect(codes?.getCell("B6").value).toBe("Kambing");
    expect(submissions.getCell("A1").note).toBeTruthy();
  });
});
