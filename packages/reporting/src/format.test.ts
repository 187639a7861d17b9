import { describe, expect, it } from "vitest";
import {
  formatCell,
  formatDate,
  formatDateTime,
  formatMonth,
  formatNumber,
  formatPercent,
  timeZoneAbbreviation,
} from "./format.js";

describe("formatNumber and formatPercent", () => {
  it("use the Indonesian and British separators", () => {
    expect(formatNumber(1234567, "id")).toBe("1.234.567");
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
    expect(formatNumber(12.5, "id")).toBe("12,5");
    expect(formatNumber(12.5, "en")).toBe("12.5");
    expect(formatNumber(12.5, "id", { decimals: 2 })).toBe("12,50");
    expect(formatNumber(-1234.5, "id")).toBe("-1.234,5");
    expect(formatPercent(12.5, "id")).toBe("12,5%");
    expect(formatPercent(12.5, "en")).toBe("12.5%");
    expect(formatNumber(Number.NaN, "en")).toBe("");
  });
});

describe("formatDate and formatDateTime", () => {
  // 23.00 UTC on 30 November is already 1 December everywhere in Indonesia.
  const instant = new Date("2026-11-30T23:00:00Z");

  it("give the calendar day of the zone, months in the reader's language", () => {
    expect(formatDate(new Date("2026-11-30T10:00:00Z"), "id", "Asia/Jakarta")).toBe("30 November 2026");
    expect(formatDate(new Date("2026-11-30T10:00:00Z"), "en", "Asia/Jakarta")).toBe("30 November 2026");
    expect(formatDate(instant, "id", "Asia/Makassar")).toBe("1 Desember 2026");
    expect(formatDate(instant, "en", "Asia/Makassar")).toBe("1 December 2026");
    // A month on the zone's calendar: 17:30 UTC on 31 October is already November in WIB.
    expect(formatMonth(new Date("2026-10-31T17:30:00Z"), "id", "Asia/Jakarta")).toBe("November 2026");
    expect(formatMonth(new Date("2026-10-31T17:30:00Z"), "en", "UTC")).toBe("October 2026");
    expect(formatMonth(instant, "id", "Asia/Makassar")).toBe("Desember 2026");
  });

  it("name Indonesia's zones WIB, WITA and WIT in both languages", () => {
    expect(formatDateTime(instant, "id", "Asia/Jakarta")).toBe("1 Desember 2026 06.00 WIB");
    expect(formatDateTime(instant, "id", "Asia/Makassar")).toBe("1 Desember 2026 07.00 WITA");
    expect(formatDateTime(instant, "id", "Asia/Jayapura")).toBe("1 Desember 2026 08.00 WIT");
    expect(formatDateTime(instant, "en", "Asia/Makassar")).toBe("1 December 2026 07:00 WITA");
    expect(formatDateTime(instant, "en", "Asia/Jayapura")).toBe("1 December 2026 08:00 WIT");
    expect(timeZoneAbbreviation(instant, "en", "Asia/Pontianak")).toBe("WIB");
    expect(timeZoneAbbreviation(instant, "en", "UTC")).toBe("UTC");
  });
});

describe("formatCell", () => {
  it("formats each column kind and leaves unexpected text alone", () => {
    expect(formatCell(1234.4, { label: "n", format: "integer" }, "id")).toBe("1.234");
    // node-postgres gives bigint and numeric as text.
    expect(formatCell("1234567", { label: "n", format: "integer" }, "id")).toBe("1.234.567");
    expect(formatCell(1.23456, { label: "x", format: "decimal" }, "en")).toBe("1.23");
    expect(formatCell(7.25, { label: "p", format: "percent" }, "id")).toBe("7,3%");
    expect(formatCell("2026-11-30", { label: "d", format: "date" }, "id")).toBe("30 November 2026");
    expect(formatCell("2026-12-01", { label: "d", format: "date" }, "id")).toBe("1 Desember 2026");
    expect(formatCell(7203, { label: "kode", format: "text" }, "id")).toBe("7203");
    expect(formatCell(7203, { label: "jumlah" }, "id")).toBe("7.203");
    expect(formatCell("n/a", { label: "n", format: "integer" }, "id")).toBe("n/a");
    expect(formatCell(null, { label: "n", format: "integer" }, "id")).toBe("");
  });
});
