// The GSM 7-bit default alphabet (3GPP TS 23.038): whether a text stays in it, what it
// costs in septets, and how replies keep to it. One character outside it turns a whole
// SMS into UCS-2 (70 characters a part instead of 160), so text people typed is never
// echoed back as it came. The table is fixed by the standard and small; the npm packages
// that carry it are tiny, unmaintained and either encode (which smsd does itself) or count
// segments, so it is written here.

const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** Characters reached through the escape code; each costs two septets. */
const EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

/** Septets in one single-part SMS. */
export const SMS_SEPTETS = 160;

/** Septets left for a reply's text after the default system tag `[iSIKHNAS] ` (brackets cost two). */
export const REPLY_SEPTETS = SMS_SEPTETS - 13;

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

/** Text a person typed, made safe to quote in a reply: characters outside GSM-7 become `?`. */
export function gsmSafe(text: string): string {
  let safe = "";
  for (const char of text) safe += char !== "\u001b" && (basic.has(char) || extension.has(char)) ? char : "?";
  return safe;
}

/**
 * Items joined as compactly as reading allows within `budget` septets: `AY ayam; IT itik`
 * when that fits, else `AY ayam,IT itik`, else `AY ayam IT itik` (codes are upper case and
 * words lower case, so the items still read apart). A list too long for any of them is
 * joined the first way and the transport sends it in parts.
 */
export function compactList(items: string[], budget: number): string {
  const joins = ["; ", ";", " "];
  for (const join of joins) {
    const text = items.join(join);
    if ((gsm7Length(text) ?? Number.POSITIVE_INFINITY) <= budget) return text;
  }
  return items.join(joins[0]);
}

/**
 * The first of `candidates` (most to least detailed) that fits one SMS after the system
 * tag; the last when none does, which the transport then sends in parts.
 */
export function fitReply(candidates: string[]): string {
  const fitting = candidates.find((text) => (gsm7Length(text) ?? Number.POSITIVE_INFINITY) <= REPLY_SEPTETS);
  return fitting ?? candidates[candidates.length - 1] ?? "";
}
