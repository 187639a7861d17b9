// report-generator settings, validated once at the edge.
import { hostname } from "node:os";
import {
  awsSchema,
  booleanFromEnv,
  databaseSchema,
  type Env,
  environmentSchema,
  httpSchema,
  loggingSchema,
  parseConfig,
  trainingDatabaseSchema,
} from "@isikhnas/platform";
import { z } from "zod";

export const generatorSchema = z
  .object({
    /** Reports built at once (each holds a replica connection while it reads). */
    REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    REPORTREQUEST_VISIBILITY_SECONDS: z.coerce.number().int().min(10).max(43_200).default(900),
    /** How long a claimed run is this host's; renewed while it works. Another host takes over after it. */
    REPORT_LEASE_SECONDS: z.coerce.number().int().min(5).max(43_200).default(600),
    /** How often the daemon works out which scheduled reports are due (0: only `report-generator tick`). */
    REPORT_TICK_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
    /** How far back missed periods are caught up after downtime. */
    REPORT_BACKFILL_DAYS: z.coerce.number().int().min(1).max(400).default(35),
    /** A run not finished and not queued for this long is queued again (its request was lost). */
    REPORT_REQUEUE_SECONDS: z.coerce.number().int().min(5).default(900),
    /** While the replica is behind a run's period, the run is retried after this delay. */
    REPORT_REPLICA_RETRY_SECONDS: z.coerce.number().int().min(1).max(900).default(15),
    /** Failed builds (not deferrals) before a run is marked failed. */
    REPORT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** Files above this are sent as a time-limited link instead of an attachment. */
    REPORT_ATTACH_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .default(10 * 1024 * 1024),
    REPORT_LINK_DAYS: z.coerce.number().int().min(1).max(7).default(7),
    /** Scheduled reports on or off (ad hoc requests are always served). */
    REPORT_SCHEDULES: booleanFromEnv.default(true),
    /** Names this host in run leases. */
    REPORT_HOST_ID: z.string().min(1).max(200).default(`${hostname()}:${process.pid}`),
    /** Prefix of every report mail's subject. */
    SYSTEM_TAG: z.string().default("[iSIKHNAS]"),
    TRAINING_SYSTEM_TAG: z.string().default("[iSIKHNAS TRAINING]"),
  })
  .extend(awsSchema.shape)
  .extend(databaseSchema.shape)
  .extend(trainingDatabaseSchema.shape)
  .extend(httpSchema.shape)
  .extend(loggingSchema.shape)
  .extend(environmentSchema.shape);

export type GeneratorConfig = z.output<typeof generatorSchema>;

export function loadConfig(env: Env = process.env): GeneratorConfig {
  return parseConfig(generatorSchema, env);
}
