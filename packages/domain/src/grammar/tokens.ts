// Text as people type it on a phone, reduced to tokens: upper case, any run of spaces,
// tabs or line breaks is one separator, full stops separate fields, and commas (with or
// without spaces around them) join the items of a list. Each token remembers how its items
// were joined, so the parser can take back a comma that was meant as a field separator.

/** How two items of a list were joined: `mc,dm` is tight, `mc, dm` (a space after the comma) is loose. */
export type Join = "tight" | "loose";

export interface Token {
  /** The token as the parser reads it: its items joined by bare commas. */
  text: string;
  /** One join per item after the first, in order. */
  joins: Join[];
}

// A run of separators: commas with any whitespace around them, or whitespace alone.
const SEPARATOR = /(\s*,[\s,]*|\s+)/;
// Whitespace somewhere after the first comma of a separator.
const LOOSE = /,[\s,]*\s/;

export function scan(text: string): Token[] {
  const cleaned = text
    .toUpperCase()
    .replace(/[.\s]+/g, " ")
    .replace(/;/g, ",")
    .trim();
  const pieces = cleaned.split(SEPARATOR);
  const tokens: Token[] = [];
  let items: string[] = [];
  let joins: Join[] = [];
  const close = () => {
    if (items.length > 0) tokens.push({ text: items.join(","), joins });
    items = [];
    joins = [];
  };
  // split() with a capturing group alternates item, separator, item, …; an item is empty
  // only before a leading or after a trailing comma, and those commas join nothing.
  for (let index = 0; index < pieces.length; index += 2) {
    const item = pieces[index];
    if (item === undefined || item === "") continue;
    const separator = pieces[index - 1];
    if (separator === undefined || !separator.includes(",")) close();
    else if (items.length > 0) joins.push(LOOSE.test(separator) ? "loose" : "tight");
    items.push(item);
  }
  close();
  return tokens;
}
