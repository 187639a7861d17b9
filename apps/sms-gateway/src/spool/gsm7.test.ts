import { describe, expect, it } from "vitest";
import { gsm7Length, isGsm7 } from "./gsm7.js";

describe("isGsm7", () => {
  it("accepts the default alphabet and its extension table", () => {
    expect(isGsm7("[iSIKHNAS] Case ID 2238: 5 cattle, Recovered")).toBe(true);
    expect(isGsm7("Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ é ü Ñ ¿ £ ¥ §")).toBe(true);
    expect(isGsm7("{[~]} | ^ € \\")).toBe(true);
  });

  it("rejects what only UCS2 can carry", () => {
    expect(isGsm7("sapi 🐄")).toBe(false);
    expect(isGsm7("à la `code`")).toBe(false);
    expect(isGsm7("“quoted”")).toBe(false);
    expect(isGsm7("ê")).toBe(false);
  });

  it("counts extension characters as two septets", () => {
    expect(gsm7Length("abc")).toBe(3);
    expect(gsm7Length("€[]")).toBe(6);
    expect(gsm7Length("🐄")).toBeUndefined();
  });
});
