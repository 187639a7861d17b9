// Text as people type it on a phone, reduced to tokens: upper case, any run of spaces,
// tabs or line breaks is one separator, full stops separate fields, and commas (with or
// without spaces around them) join the items of a list.

export function tokenise(text: string): string[] {
  const cleaned = text
    .toUpperCase()
    .replace(/[.\s]+/g, " ")
    .replace(/;/g, ",")
    .replace(/\s*,[\s,]*/g, ",")
    .trim();
  if (cleaned === "") return [];
  return cleaned
    .split(" ")
    .map((token) => token.replace(/^,+|,+$/g, ""))
    .filter((token) => token !== "");
}

/** The key of the 10-minute duplicate rule: the same tokens, however they were spaced. */
export function normaliseText(text: string): string {
  return tokenise(text).join(" ");
}
