import type { Font } from "fontkit";
import { describe, expect, it } from "vitest";
import { parsedFonts, pdfFonts } from "./fonts.js";

/** Accented Latin, Greek, Cyrillic and symbols. */
const TEXT = "Ünïcödé àéîõü ÀÉÎÕÜ ñ Ç ç Ελλάδα Москва ≥ 40 °C ő ű ḍ ṭ ǖ";

describe("the faces pdfkit is given", () => {
  for (const key of ["regular", "bold"] as const) {
    it(`lays out text as fontkit does, each caller with its own positions (${key})`, () => {
      const plain = parsedFonts()[key];
      const face = pdfFonts()[key] as unknown as Font;
      const first = face.layout(TEXT);
      for (const position of first.positions) position.xAdvance *= 2;
      const again = face.layout(TEXT);
      const expected = plain.layout(TEXT);
      expect(again.glyphs.map((glyph) => glyph.id)).toEqual(expected.glyphs.map((glyph) => glyph.id));
      expect(again.positions.map((position) => position.xAdvance)).toEqual(
        expected.positions.map((position) => position.xAdvance),
      );
      expect(again.advanceWidth).toBe(expected.advanceWidth);
    });
  }
});
