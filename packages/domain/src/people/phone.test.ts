import { describe, expect, it } from "vitest";
import { isShortCodeOrAlphanumeric, normalisePhone } from "./phone.js";

describe("normalisePhone", () => {
  it.each([
    ["081234567890", "6281234567890"],
    ["+6281234567890", "6281234567890"],
    ["6281234567890", "6281234567890"],
    ["0812-3456-7890", "6281234567890"],
    [" +62 812 3456 7890 ", "6281234567890"],
    ["00447700900123", "447700900123"],
  ])("%s → %s", (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it.each(["TELKOMSEL", "3636", "", "+", "08ab123", "1234567890123456789"])(
    "%j is not a phone number",
    (raw) => {
      expect(normalisePhone(raw)).toBeNull();
    },
  );
});

describe("isShortCodeOrAlphanumeric", () => {
  it.each([
    ["3636", true],
    ["TELKOMSEL", true],
    ["Info-BRI", true],
    ["081234567890", false],
    ["+6281234567890", false],
  ])("%s → %s", (sender, expected) => {
    expect(isShortCodeOrAlphanumeric(sender)).toBe(expected);
  });
});
