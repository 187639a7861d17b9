// Settings every daemon shares: logging, AWS endpoints, resource names, database, HTTP port.
import { environment } from "@isikhnas/contracts";
import { z } from "zod";
import { booleanFromEnv } from "./load.js";

export const loggingSchema = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export const awsSchema = z.object({
  AWS_REGION: z.string().default("ap-southeast-3"),
  /** One endpoint for every AWS service (LocalStack, the local stack). */
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_ENDPOINT_URL_SQS: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL_SES: z.url().optional(),
  /** A connection to SQS, S3 or SES not made within this long is abandoned (and retried by the SDK). */
  AWS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /**
   * A call with no response by then fails with a TimeoutError. Above SQS's 20 s long poll,
   * which every receive may wait out.
   */
  AWS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(25_000).default(60_000),
  /** Physical queue and bucket names are `${RESOURCE_PREFIX}${logical name}`. */
  RESOURCE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]*$/, "lower-case letters, digits and dashes only")
    .default("isikhnas-live-"),
});

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL");

export const databaseSchema = z.object({
  DATABASE_URL: postgresUrl,
  DATABASE_READ_URL: postgresUrl.optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
});

export const trainingDatabaseSchema = z.object({
  /** The training (Sidecar) database, for daemons that serve the training environment too. */
  TRAINING_DATABASE_URL: postgresUrl.optional(),
});

export const httpSchema = z.object({
  /** Port of /healthz, /readyz and /metrics; 0 picks a free port. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9400),
  HTTP_HOST: z.string().default("127.0.0.1"),
});

export const environmentSchema = z.object({
  /** Which deployment this process serves: live or the training Sidecar. */
  ISIKHNAS_ENV: environment.default("live"),
  PRETTY_LOGS: booleanFromEnv.default(false),
});

export type AwsConfig = z.output<typeof awsSchema>;
export type DatabaseConfig = z.output<typeof databaseSchema>;
export type TrainingDatabaseConfig = z.output<typeof trainingDatabaseSchema>;
export type HttpConfig = z.output<typeof httpSchema>;
