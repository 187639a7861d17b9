// excel-processor settings, validated once at the edge.
import {
  awsSchema,
  databaseSchema,
  type Env,
  environmentSchema,
  httpSchema,
  loggingSchema,
  parseConfig,
  trainingDatabaseSchema,
} from "@isikhnas/platform";
import { DEFAULT_LIMITS, type WorkbookLimits } from "@isikhnas/workbooks";
import { z } from "zod";

export const processorSchema = z
  .object({
    /** Workbooks handled at once (each holds a database connection while importing). */
    EXCEL_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    EMAILINPUT_VISIBILITY_SECONDS: z.coerce.number().int().min(30).max(43_200).default(300),
    /** Statement timeout inside an import transaction; large workbooks need more than the default. */
    IMPORT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(600_000),
    /** Where workbooks are spooled while they are read. */
    WORK_DIR: z.string().min(1).optional(),
    WORKBOOK_MAX_FILE_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_LIMITS.maxFileBytes),
    WORKBOOK_MAX_UNCOMPRESSED_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(DEFAULT_LIMITS.maxUncompressedBytes),
    WORKBOOK_MAX_RATIO: z.coerce.number().min(2).default(DEFAULT_LIMITS.maxCompressionRatio),
    WORKBOOK_MAX_ROWS: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxRows),
    WORKBOOK_MAX_COLUMNS: z.coerce.number().int().min(1).max(16_384).default(DEFAULT_LIMITS.maxColumns),
    WORKBOOK_MAX_REPORTED_ERRORS: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxReportedErrors),
    /** Above this many rows an invalid workbook comes back as the error summary alone. */
    ERROR_WORKBOOK_MAX_ROWS: z.coerce.number().int().min(0).default(20_000),
    /** Prefix of every answer's subject (the system tag). */
    SYSTEM_TAG: z.string().default("[iSIKHNAS]"),
    TRAINING_SYSTEM_TAG: z.string().default("[iSIKHNAS TRAINING]"),
  })
  .extend(awsSchema.shape)
  .extend(databaseSchema.shape)
  // TRAINING_DATABASE_URL: the database of training-environment messages; without it they are dead-lettered.
  .extend(trainingDatabaseSchema.shape)
  .extend(httpSchema.shape)
  .extend(loggingSchema.shape)
  .extend(environmentSchema.shape);

export type ProcessorConfig = z.output<typeof processorSchema>;

export function loadConfig(env: Env = process.env): ProcessorConfig {
  return parseConfig(processorSchema, env);
}

export function limitsOf(config: ProcessorConfig): WorkbookLimits {
  return {
    maxFileBytes: config.WORKBOOK_MAX_FILE_BYTES,
    maxUncompressedBytes: config.WORKBOOK_MAX_UNCOMPRESSED_BYTES,
    maxCompressionRatio: config.WORKBOOK_MAX_RATIO,
    maxZipEntries: DEFAULT_LIMITS.maxZipEntries,
    maxRows: config.WORKBOOK_MAX_ROWS,
    maxColumns: config.WORKBOOK_MAX_COLUMNS,
    maxReportedErrors: config.WORKBOOK_MAX_REPORTED_ERRORS,
  };
}
