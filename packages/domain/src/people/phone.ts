// Phone numbers as the gateways receive them, normalised to the stored form (628…).

/** `0812…`, `+62812…`, `62812…` (spaces, dashes allowed) → `62812…`; null when not a phone number. */
export function normalisePhone(raw: string): string | null {
  const compact = raw.trim().replace(/[\s\-().]/g, "");
  const digits = compact.startsWith("+")
    ? compact.slice(1)
    : compact.startsWith("00")
      ? compact.slice(2)
      : compact;
  if (!/^[0-9]+$/.test(digits)) return null;
  const international = digits.startsWith("0") ? `62${digits.slice(1)}` : digits;
  // E.164 allows at most 15 digits; below 8 it is a short code, not a subscriber.
  if (!/^[1-9][0-9]{7,14}$/.test(international)) return null;
  return international;
}

/**
 * Short codes (operator services like 3636) and alphanumeric senders ("TELKOMSEL") must
 * never get an automatic reply: they would answer back and start a loop.
 */
export function isShortCodeOrAlphanumeric(sender: string): boolean {
  const compact = sender.trim().replace(/[\s\-().]/g, "");
  if (/[^0-9+]/.test(compact) || compact === "") return true;
  return normalisePhone(compact) === null;
}
