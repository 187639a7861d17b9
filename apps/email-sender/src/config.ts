// email-sender settings, validated once at the edge.
import {
  awsSchema,
  databaseSchema,
  type Env,
  environmentSchema,
  httpSchema,
  loggingSchema,
  mailSchema,
  parseConfig,
} from "@isikhnas/platform";
import { z } from "zod";

export const senderSchema = z
  .object({
    /** The account's SES sending rate, shared by every instance on this database. */
    SEND_RATE_PER_SECOND: z.coerce.number().positive().default(14),
    /**
     * Sends that may build up while idle and go at once (a burst). A burst b lets b + rate
     * sends through in one second, more than SES's per-second rate: by default none (1).
     */
    SEND_BURST: z.coerce.number().positive().optional(),
    /** Names the token bucket: instances sending through the same account share one. */
    SEND_ACCOUNT: z.string().min(1).default("ses"),
    /** SES calls in flight at once per emailoutput message. */
    SEND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
    /**
     * How long a claimed recipient may stay "sending". A row older than this belongs to a
     * process that died during the SES call; it is marked unknown, never sent again.
     */
    SEND_LEASE_SECONDS: z.coerce.number().int().min(2).default(120),
    /** Transient failures per recipient before the row is marked failed. */
    SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
    /**
     * A retry due within this long is waited for while holding the message; a later one
     * comes back as a fresh copy of the message, delayed on the queue.
     */
    SEND_INLINE_RETRY_SECONDS: z.coerce.number().min(0).max(900).default(20),
    /** Largest recipient list read from a bucket object. */
    MAX_RECIPIENTS: z.coerce.number().int().min(1).default(100_000),
    /** emailoutput messages handled at once. */
    EMAILOUTPUT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    EMAILOUTPUT_VISIBILITY_SECONDS: z.coerce.number().int().min(5).max(43_200).default(300),
  })
  .extend(mailSchema.shape)
  .extend(awsSchema.shape)
  .extend(databaseSchema.shape)
  .extend(httpSchema.shape)
  .extend(loggingSchema.shape)
  .extend(environmentSchema.shape)
  .refine((config) => config.SEND_LEASE_SECONDS < config.EMAILOUTPUT_VISIBILITY_SECONDS * 100, {
    message: "is implausibly long",
    path: ["SEND_LEASE_SECONDS"],
  });

export type SenderConfig = z.output<typeof senderSchema>;

export function loadConfig(env: Env = process.env): SenderConfig {
  return parseConfig(senderSchema, env);
}
