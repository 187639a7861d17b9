// How big a workbook may be. Every limit is checked before or while streaming, so a file
// that breaks one is refused without being read whole.

export interface WorkbookLimits {
  /** Size of the file as received. */
  maxFileBytes: number;
  /** Sum of the declared uncompressed sizes of every zip entry. */
  maxUncompressedBytes: number;
  /** Largest uncompressed/compressed ratio of any sizeable entry (a zip bomb's tell). */
  maxCompressionRatio: number;
  maxZipEntries: number;
  /** Data rows per sheet, the header excluded. */
  maxRows: number;
  maxColumns: number;
  /** Cell errors reported in detail; beyond this they are only counted. */
  maxReportedErrors: number;
}

export const DEFAULT_LIMITS: WorkbookLimits = {
  maxFileBytes: 25 * 1024 * 1024,
  maxUncompressedBytes: 400 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxZipEntries: 2_000,
  maxRows: 200_000,
  maxColumns: 60,
  maxReportedErrors: 2_000,
};

/** Entries below this size are not judged by their ratio: tiny XML compresses very well. */
export const RATIO_EXEMPT_BYTES = 1024 * 1024;
