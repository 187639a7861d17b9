// The DejaVu Sans files every renderer embeds: the PDF standard fonts and resvg without a
// font drop or garble Indonesian names, Cyrillic, °, ≥ and the like.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const packageDir = dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json"));

/** The family name inside the TTF files, as the SVG charts and resvg refer to it. */
export const FONT_FAMILY = "DejaVu Sans";

export const FONT_REGULAR_PATH = join(packageDir, "ttf", "DejaVuSans.ttf");

export const FONT_BOLD_PATH = join(packageDir, "ttf", "DejaVuSans-Bold.ttf");
