// The key of the 10-minute duplicate rule: a message as the parser read it, so that two
// texts which read as the same fields are the same report.
import { type Reading, readCommand } from "./parse.js";

/** The same tokens, however they were spaced, with a comma read as a field separator split off. */
export function duplicateKey(reading: Reading): string {
  return reading.tokens.join(" ");
}

export function normaliseText(text: string): string {
  return duplicateKey(readCommand(text));
}
