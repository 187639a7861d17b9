import { describe, expect, it } from "vitest";
import { splitMessage, TELEGRAM_TEXT_LIMIT } from "./split.js";

describe("splitMessage", () => {
  it("keeps a short text whole", () => {
    expect(splitMessage("[iSIKHNAS] ok")).toEqual(["[iSIKHNAS] ok"]);
  });

  it("splits a long reply at line boundaries, each part under Telegram's limit, losing nothing", () => {
    const lines = Array.from(
      { length: 400 },
      (_, index) => `${index + 1}. Desa Lemo, 4 sapi, mencret dan demam`,
    );
    const text = lines.join("\n");
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.join("\n")).toBe(text);
    for (const part of parts) expect(lines).toContain(part.split("\n")[0]);
  });

  it("cuts a single over-long line at spaces", () => {
    const text = Array.from({ length: 2000 }, () => "kata").join(" ");
    const parts = splitMessage(text);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.join(" ")).toBe(text);
  });
});
