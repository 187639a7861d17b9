// The gateway's settings, read once from the environment and validated.
import {
  databaseSchema,
  type Env,
  environmentSchema,
  httpSchema,
  listFromEnv,
  loggingSchema,
  parseConfig,
} from "@isikhnas/platform";
import { z } from "zod";

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const smsSchema = z.object({
  /** Root of the SMSTools3 spool: incoming/, outgoing/, checked/, sent/, failed/ (+ quarantine/, parts/). */
  SMS_SPOOL_DIR: z.string().min(1).default("/var/spool/sms"),
  /** watch: the gateway watches incoming/, sent/ and failed/; event: smsd's eventhandler calls it. */
  SMS_INPUT_MODE: z.enum(["watch", "event"]).default("watch"),
  /** A watched file is read once it has not changed for this long. */
  SMS_SETTLE_MS: count(1000),
  /** In event mode, files older than this still in incoming/ are picked up by the daemon. */
  SMS_EVENT_GRACE_MS: count(60_000),
  SMS_RESCAN_INTERVAL_MS: count(30_000),
  SMS_INCOMING_CONCURRENCY: positive(4),
  /** A file whose handling failed this often (database up) is quarantined. */
  SMS_MAX_HANDLER_FAILURES: positive(5),
  /** How long parts of a concatenated message wait for the missing ones. */
  SMS_CONCAT_WAIT_MS: count(120_000),
  SMS_SEND_BATCH: positive(50),
  SMS_POLL_INTERVAL_MS: positive(1000),
  /** After a commit wakes the sender, it waits this long so replies in a burst share a claim. */
  SMS_SEND_GATHER_MS: count(250),
  /** Sends of one row, the first included, before it is marked failed. */
  SMS_MAX_ATTEMPTS: positive(3),
  SMS_RETRY_BACKOFF_MS: count(60_000),
  /** Messages per recipient per window; 0 turns the limit off. */
  SMS_RATE_LIMIT_COUNT: count(10),
  SMS_RATE_LIMIT_WINDOW_MS: positive(60_000),
  /** Numbers never to send to, comma-separated; `62811*` matches a prefix. */
  SMS_DENY_LIST: listFromEnv,
  SYSTEM_TAG: z.string().default("[iSIKHNAS]"),
  /** Starts every reply of a gateway with ISIKHNAS_ENV=training, so no trainee takes it for live. */
  TRAINING_SYSTEM_TAG: z.string().default("[iSIKHNAS TRAINING]"),
});

export const configSchema = smsSchema
  .extend(databaseSchema.shape)
  .extend(httpSchema.shape)
  .extend(loggingSchema.shape)
  .extend(environmentSchema.shape)
  .extend({ HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9405) });

export type Config = z.output<typeof configSchema>;

export function loadConfig(env: Env = process.env): Config {
  return parseConfig(configSchema, env);
}
