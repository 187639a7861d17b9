// email-ingest settings, validated once at the edge.
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
import { z } from "zod";

const address = z.email().transform((value) => value.toLowerCase());

export const ingestSchema = z
  .object({
    /** The address users mail their workbooks to (live environment). */
    INGEST_ADDRESS_LIVE: address,
    /** The training alias; its mail goes to the training database. */
    INGEST_ADDRESS_TRAINING: address.optional(),
    /** Largest raw mail accepted, in bytes (SES inbound caps mail at 40 MB). */
    MAIL_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(25 * 1024 * 1024),
    /** Largest single attachment considered, in bytes. */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
    /**
     * MIME parts (attachments, bodies, inline images) a mail may have. The parser holds
     * what it has split ahead of the reader, so this bounds memory; a mail with more is
     * read up to there and its sender is told why.
     */
    MAIL_MAX_PARTS: z.coerce.number().int().min(10).max(10_000).default(1000),
    /** Messages from mailinbound handled at once. */
    INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    MAILINBOUND_VISIBILITY_SECONDS: z.coerce.number().int().min(10).max(43_200).default(300),
    /** Only Authentication-Results headers of this authserv-id count (the MX's own); all when unset. */
    AUTHSERV_ID: z.string().optional(),
    /** Prefix of every reply's subject (the system tag). */
    SYSTEM_TAG: z.string().default("[iSIKHNAS]"),
    /** The tag of replies to mail sent to the training alias, so no trainee takes them for live. */
    TRAINING_SYSTEM_TAG: z.string().default("[iSIKHNAS TRAINING]"),
  })
  .extend(awsSchema.shape)
  .extend(databaseSchema.shape)
  .extend(trainingDatabaseSchema.shape)
  .extend(httpSchema.shape)
  .extend(loggingSchema.shape)
  .extend(environmentSchema.shape)
  .refine(
    (config) => config.INGEST_ADDRESS_TRAINING === undefined || config.TRAINING_DATABASE_URL !== undefined,
    {
      message: "is required when INGEST_ADDRESS_TRAINING is set",
      path: ["TRAINING_DATABASE_URL"],
    },
  )
  .refine((config) => config.INGEST_ADDRESS_TRAINING !== config.INGEST_ADDRESS_LIVE, {
    message: "must differ from INGEST_ADDRESS_LIVE",
    path: ["INGEST_ADDRESS_TRAINING"],
  });

export type IngestConfig = z.output<typeof ingestSchema>;

export function loadConfig(env: Env = process.env): IngestConfig {
  return parseConfig(ingestSchema, env);
}
