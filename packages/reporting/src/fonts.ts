// The DejaVu Sans files every renderer embeds: the PDF standard fonts and resvg without a
// font drop or garble Indonesian names, Cyrillic, °, ≥ and the like.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { create, type Font, type GlyphRun } from "fontkit";

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
  shared ??= {
    regular: withSharedLayouts(parsedFonts().regular),
    bold: withSharedLayouts(parsedFonts().bold),
  };
  return { regular: shared.regular as unknown as string, bold: shared.bold as unknown as string };
}

let shared: ParsedFonts | undefined;

/** Words remembered per face; a report's texts repeat from district to district. */
const LAYOUTS_KEPT = 20_000;

/**
 * The face with its text layouts remembered for the process. pdfkit lays out every word it
 * measures or draws through fontkit (OpenType shaping: a fifth of a district report's PDF),
 * and remembers them only for one document. A layout depends on the face and the text
 * alone (pdfkit maps glyphs to a document's subset later), so documents share them; each
 * caller gets its own positions, which pdfkit scales in place.
 */
function withSharedLayouts(font: Font): Font {
  const runs = new Map<string, GlyphRun>();
  const face: Font = Object.create(font);
  face.layout = (text, features, ...rest) => {
    if (features !== undefined || rest.length > 0) return font.layout(text, features, ...rest);
    let run = runs.get(text);
    if (!run) {
      run = font.layout(text);
      if (runs.size >= LAYOUTS_KEPT) runs.clear();
      runs.set(text, run);
    }
    const copy: GlyphRun = Object.create(Object.getPrototypeOf(run));
    return Object.assign(copy, run, { positions: run.positions.map((position) => ({ ...position })) });
  };
  return face;
}
