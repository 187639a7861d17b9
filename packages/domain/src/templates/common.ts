// Columns several templates share, written once so their wording stays the same.
import type { ColumnDefinition, Labels } from "./types.js";

const MAX_COUNT = 100_000;

export function speciesColumn(): ColumnDefinition {
  return {
    key: "species",
    header: { id: "Spesies", en: "Species" },
    hint: {
      id: "Kode spesies dari daftar SP, mis. SP (sapi)",
      en: "Species code from list SP, e.g. SP (cattle)",
    },
    type: { kind: "code", list: "SP" },
    required: true,
  };
}

export function villageColumn(options: { withinSenderAreas: boolean }): ColumnDefinition {
  return {
    key: "village",
    header: { id: "Desa", en: "Village" },
    hint: { id: "Kode desa 8 angka, mis. 72060202", en: "8-digit village code, e.g. 72060202" },
    type: { kind: "reference", entity: "village" },
    required: true,
    withinSenderAreas: options.withinSenderAreas,
  };
}

export function dateColumn(key: string, header: Labels): ColumnDefinition {
  return {
    key,
    header,
    hint: { id: "Tanggal, mis. 2025-06-30 atau 30/06/2025", en: "A date, e.g. 2025-06-30 or 30/06/2025" },
    type: { kind: "date" },
    required: true,
  };
}

export function countColumn(
  key: string,
  header: Labels,
  options: { required: boolean; min?: number; max?: number; defaultValue?: number },
): ColumnDefinition {
  const min = options.min ?? 0;
  const max = options.max ?? MAX_COUNT;
  return {
    key,
    header,
    hint: { id: `Bilangan bulat ${min}–${max}`, en: `A whole number ${min}–${max}` },
    type: { kind: "integer", min, max },
    required: options.required,
    ...(options.defaultValue === undefined ? {} : { defaultValue: options.defaultValue }),
  };
}
