// Whether a text fits the GSM 7-bit default alphabet (3GPP TS 23.038), which decides
// between a plain outgoing file and `Alphabet: UCS2`. The table is fixed by the standard
// and small; the npm packages that carry it are tiny, unmaintained and either encode
// (which smsd does itself) or count segments, so the check is written here.

const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** Characters reached through the escape code; each costs two septets. */
const EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

/** True when every character of `text` is in the GSM-7 basic set or its extension table. */
export function isGsm7(text: string): boolean {
  return gsm7Length(text) !== undefined;
}

/** Septets `text` takes in GSM-7 (extension characters count twice); undefined when not GSM-7. */
export function gsm7Length(text: string): number | undefined {
  let length = 0;
  for (const char of text) {
    if (char === "\u001b") return undefined;
    if (basic.has(char)) length += 1;
    else if (extension.has(char)) length += 2;
    else return undefined;
  }
  return length;
}
