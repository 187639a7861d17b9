import { describe, expect, it } from "vitest";
import { duePeriods, parsePeriod, periodContaining, previousPeriod } from "./periods.js";

describe("report periods", () => {
  it("bounds a day, an ISO week and a month in the scope's own time zone", () => {
    // 23:30 UTC on 30 November is already 1 December in Makassar (UTC+8).
    const instant = new Date("2026-11-30T23:30:00Z");
    expect(periodContaining("day", instant, "Asia/Makassar")).toMatchObject({
      key: "2026-12-01",
      start: new Date("2026-11-30T16:00:00Z"),
      end: new Date("2026-12-01T16:00:00Z"),
    });
    expect(periodContaining("day", instant, "Asia/Jakarta").key).toBe("2026-12-01");
    expect(periodContaining("day", new Date("2026-11-30T16:30:00Z"), "Asia/Jakarta").key).toBe("2026-11-30");
    expect(periodContaining("month", instant, "Asia/Jayapura")).toMatchObject({
      key: "2026-12",
      start: new Date("2026-11-30T15:00:00Z"),
      end: new Date("2026-12-31T15:00:00Z"),
      firstDay: "2026-12-01",
      lastDay: "2026-12-31",
    });
    // 2026 begins on a Thursday, so it has an ISO week 53 that ends on 3 January 2027.
    expect(periodContaining("week", new Date("2027-01-02T12:00:00Z"), "Asia/Jakarta")).toMatchObject({
      key: "2026-W53",
      firstDay: "2026-12-28",
      lastDay: "2027-01-03",
    });
  });

  it("reads back every key it writes, and nothing else", () => {
    for (const key of [
      "2026-11-30",
      "2024-02-29",
      "2026-W01",
      "2026-W53",
      "2020-W53",
      "2026-11",
      "2027-01",
    ]) {
      expect(parsePeriod(key, "Asia/Makassar")?.key).toBe(key);
    }
    for (const key of [
      "0000-01",
      "0099-12",
      "0050-06-01",
      "0001-W10",
      "2026-13",
      "2026-00",
      "2026-02-29",
      "2026-11-31",
      "2025-W53",
      "2026-W00",
      "2026-11-1",
      "26-11",
      "2026/11",
      "",
    ]) {
      expect(parsePeriod(key, "Asia/Makassar"), key).toBeUndefined();
    }
  });

  it("steps back over a year's end", () => {
    const january = parsePeriod("2027-01", "Asia/Jakarta");
    expect(january && previousPeriod(january).key).toBe("2026-12");
    const week = parsePeriod("2027-W01", "Asia/Jakarta");
    expect(week && previousPeriod(week).key).toBe("2026-W53");
  });

  it("is due once the delay has passed, and catches up within the backfill window, oldest first", () => {
    const options = { delayHours: 6, backfillDays: 3 };
    // 05:59 local on 7 December: yesterday's digest is not due yet, the day before's is.
    const early = new Date("2026-12-06T21:59:00Z");
    expect(duePeriods("day", early, "Asia/Makassar", options).map((p) => p.key)).toEqual([
      "2026-12-04",
      "2026-12-05",
    ]);
    const six = new Date("2026-12-06T22:00:00Z");
    expect(duePeriods("day", six, "Asia/Makassar", options).map((p) => p.key)).toEqual([
      "2026-12-04",
      "2026-12-05",
      "2026-12-06",
    ]);
    expect(
      duePeriods("month", six, "Asia/Makassar", { delayHours: 6, backfillDays: 30 }).map((p) => p.key),
    ).toEqual(["2026-11"]);
  });
});
