// The DejaVu Sans files every renderer embeds: the PDF standard fonts and resvg without a
// font drop or garble Indonesian names, Cyrillic, °, ≥ and the like.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { create, type Font } from "fontkit";

const packageDir = dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json"));

/** The family name inside the TTF files, as the SVG charts and resvg refer to it. */
export const FONT_FAMILY = "DejaVu Sans";

export const FONT_REGULAR_PATH = join(packageDir, "ttf", "DejaVuSans.ttf");

export const FONT_BOLD_PATH = join(packageDir, "ttf", "DejaVuSans-Bold.ttf");

export interface ParsedFonts {
  regular: Font;
  bold: Font;
}

let parsed: ParsedFonts | undefined;

/**
 * Both faces read and parsed once per process. Given a path, pdfkit reads and parses the
 * file again for every document, and decoding its tables cost more than laying out a
 * whole report; a fontkit font is immutable once decoded, so documents share it (each
 * still embeds its own subset).
 */
export function parsedFonts(): ParsedFonts {
  parsed ??= { regular: parse(FONT_REGULAR_PATH), bold: parse(FONT_BOLD_PATH) };
  return parsed;
}

function parse(path: string): Font {
  const font = create(readFileSync(path));
  if (!("layout" in font)) throw new Error(`${path} is a font collection, not one face`);
  return font;
}

/**
 * The parsed fonts for pdfkit, wherever it takes a font (a document's `font` option,
 * `font()`, `registerFont()`). pdfkit uses a fontkit font as it is; its typings know only
 * paths (and bytes), which it would read and parse again for every document, hence the
 * path's type here.
 */
export function pdfFonts(): { regular: string; bold: string } {
  const { regular, bold } = parsedFonts();
  return { regular: regular as unknown as string, bold: bold as unknown as string };
}
