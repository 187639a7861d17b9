import { describe, expect, it } from "vitest";
import { backoff } from "./backoff.js";

describe("backoff", () => {
  it("doubles from the base with each attempt, up to the ceiling", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) =>
      backoff({ attempt, baseMs: 500, maxMs: 30_000 }),
    );
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it("takes an attempt below one as the first", () => {
    expect(backoff({ attempt: 0, baseMs: 10_000, maxMs: 900_000 })).toBe(10_000);
    expect(backoff({ attempt: -3, baseMs: 10_000, maxMs: 900_000 })).toBe(10_000);
  });

  it("has no ceiling unless given one", () => {
    expect(backoff({ attempt: 11, baseMs: 100 })).toBe(102_400);
  });

  it("stays at the ceiling (or zero) however many attempts were made", () => {
    expect(backoff({ attempt: 5_000, baseMs: 500, maxMs: 60_000 })).toBe(60_000);
    expect(backoff({ attempt: 5_000, baseMs: 0, maxMs: 60_000 })).toBe(0);
  });

  it("spreads the capped delay by the jitter either way, in whole milliseconds", () => {
    const at = (random: number) =>
      backoff({ attempt: 20, baseMs: 500, maxMs: 60_000, jitter: 0.25, random: () => random });
    expect(at(0)).toBe(45_000);
    expect(at(0.5)).toBe(60_000);
    expect(at(0.999_999)).toBe(75_000);
    expect(backoff({ attempt: 1, baseMs: 3, jitter: 0.25, random: () => 0.5 })).toBe(3);
  });

  it("stays within the jitter's bounds with real randomness", () => {
    for (let i = 0; i < 1_000; i++) {
      const delay = backoff({ attempt: 3, baseMs: 1_000, maxMs: 60_000, jitter: 0.25 });
      expect(delay).toBeGreaterThanOrEqual(3_000);
      expect(delay).toBeLessThanOrEqual(5_000);
    }
  });

  it("refuses settings that make no delay", () => {
    expect(() => backoff({ attempt: 1, baseMs: -1 })).toThrow(RangeError);
    expect(() => backoff({ attempt: 1, baseMs: Number.NaN })).toThrow(RangeError);
    expect(() => backoff({ attempt: 1, baseMs: 1, jitter: 2 })).toThrow(RangeError);
  });
});
