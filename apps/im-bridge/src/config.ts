// The bridge's settings, read once from the environment and validated.
import {
  awsSchema,
  booleanFromEnv,
  databaseSchema,
  type Env,
  environmentSchema,
  httpSchema,
  loggingSchema,
  parseConfig,
} from "@isikhnas/platform";
import { z } from "zod";

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const token = z.string().regex(/^[0-9]+:[A-Za-z0-9_-]+$/, "must look like 123456:ABC… (from BotFather)");

const imSchema = z.object({
  /** The live bot's token (from BotFather). */
  TELEGRAM_BOT_TOKEN: token,
  /** The training bot's token; used when ISIKHNAS_ENV=training. */
  TELEGRAM_BOT_TOKEN_TRAINING: token.optional(),
  /** Where the Bot API is: Telegram's, a local Bot API server, or the local stack's fake. */
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  /** polling (default): getUpdates; webhook: Telegram posts updates to IM_WEBHOOK_PATH. */
  IM_MODE: z.enum(["polling", "webhook"]).default("polling"),
  IM_POLL_TIMEOUT_SECONDS: count(30),
  IM_POLL_LIMIT: positive(100),
  /** After Telegram answers 409 (another poller has this token), wait this long before trying again. */
  IM_CONFLICT_BACKOFF_MS: positive(30_000),
  /** The public HTTPS URL Telegram posts to (webhook mode; behind the load balancer). */
  IM_WEBHOOK_URL: z.url().optional(),
  IM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "16–256 letters, digits, _ or -")
    .optional(),
  IM_WEBHOOK_HOST: z.string().default("0.0.0.0"),
  IM_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  /** Register the webhook with Telegram at start (off when the load balancer's owner does it). */
  IM_WEBHOOK_REGISTER: booleanFromEnv.default(true),
  IM_SEND_BATCH: positive(30),
  IM_SEND_POLL_INTERVAL_MS: positive(500),
  /** Telegram's limits: about 30 messages a second per bot, one a second per chat. */
  IM_GLOBAL_RATE_PER_SECOND: positive(30),
  IM_CHAT_INTERVAL_MS: count(1000),
  /** Sends of one row before it is marked failed (only answers Telegram gave count). */
  IM_MAX_ATTEMPTS: positive(5),
  IM_RETRY_BACKOFF_MS: count(5_000),
  /** A row left 'sending' this long belongs to a sender that died during sendMessage: in doubt. */
  IM_SEND_LEASE_SECONDS: positive(120),
  /** On shutdown, sendMessage calls still unanswered after this long are abandoned (their rows go in doubt). */
  IM_STOP_DEADLINE_MS: positive(10_000),
  /** Unlinked chats get the "how to link" reply at most once in this many hours. */
  IM_LINK_NOTICE_HOURS: positive(24),
  /** Largest photo downloaded; the Bot API serves at most 20 MB. */
  IM_MAX_FILE_BYTES: positive(20 * 1024 * 1024),
  SYSTEM_TAG: z.string().default("[iSIKHNAS]"),
  TRAINING_SYSTEM_TAG: z.string().default("[iSIKHNAS TRAINING]"),
});

export const configSchema = imSchema
  .extend(databaseSchema.shape)
  .extend(awsSchema.shape)
  .extend(httpSchema.shape)
  .extend(loggingSchema.shape)
  .extend(environmentSchema.shape)
  .extend({ HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9406) })
  .superRefine((config, context) => {
    if (config.ISIKHNAS_ENV === "training" && !config.TELEGRAM_BOT_TOKEN_TRAINING) {
      context.addIssue({
        code: "custom",
        path: ["TELEGRAM_BOT_TOKEN_TRAINING"],
        message: "required when ISIKHNAS_ENV=training (the training bot is a separate bot)",
      });
    }
    if (config.IM_MODE === "webhook" && !config.IM_WEBHOOK_SECRET) {
      context.addIssue({ code: "custom", path: ["IM_WEBHOOK_SECRET"], message: "required in webhook mode" });
    }
    if (config.IM_MODE === "webhook" && config.IM_WEBHOOK_REGISTER && !config.IM_WEBHOOK_URL) {
      context.addIssue({
        code: "custom",
        path: ["IM_WEBHOOK_URL"],
        message: "required to register the webhook",
      });
    }
  });

export type Config = z.output<typeof configSchema>;

export function loadConfig(env: Env = process.env): Config {
  return parseConfig(configSchema, env);
}

/** The token of the bot this process serves. */
export function botToken(config: Config): string {
  return config.ISIKHNAS_ENV === "training" && config.TELEGRAM_BOT_TOKEN_TRAINING
    ? config.TELEGRAM_BOT_TOKEN_TRAINING
    : config.TELEGRAM_BOT_TOKEN;
}

/** The bot's numeric id, the part of the token before ':' (safe to log and store). */
export function botId(tokenValue: string): string {
  return tokenValue.split(":")[0] ?? "0";
}
