// Where the local stack keeps its data (a git-ignored folder that survives restarts) and
// which ports it listens on. Fixed ports keep URLs stable across restarts.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Env, parseConfig } from "@isikhnas/platform";
import { z } from "zod";

export const ENVIRONMENTS = ["live", "training"] as const;
export type LocalEnvironment = (typeof ENVIRONMENTS)[number];

const localSchema = z.object({
  LOCAL_DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  /** An installed PostgreSQL's binaries (/usr/lib/postgresql/15/bin) instead of the embedded server. */
  LOCAL_PG_BIN_DIR: z.string().optional(),
  LOCAL_PG_PORT: z.coerce.number().int().default(54329),
  LOCAL_AWS_PORT: z.coerce.number().int().default(4566),
  LOCAL_SES_PORT: z.coerce.number().int().default(8005),
  LOCAL_HTTP_PORT_BASE: z.coerce.number().int().default(9400),
  /** The monitor's port (its /status is what `isikhnas monitor status` reads by default). */
  LOCAL_MONITOR_PORT: z.coerce.number().int().default(9490),
  /** The fake Telegram Bot API of each environment listens here and on the next port. */
  LOCAL_TELEGRAM_PORT: z.coerce.number().int().default(8081),
  /** Real bots' tokens: given, the bridges talk to Telegram instead of the local fake. */
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_BOT_TOKEN_TRAINING: z.string().optional(),
  LOCAL_PREFIX: z.string().default("local-"),
  LOG_LEVEL: z.string().default("info"),
});

export interface LocalLayout {
  repoRoot: string;
  dataDir: string;
  postgresDir: string;
  spoolDir: (environment: LocalEnvironment) => string;
  /** The monitor's store and the folder of the texts it would send. */
  monitorDir: string;
  /** Use this server instead of the embedded one. */
  databaseUrl: string | undefined;
  /** Run the installed server in this folder instead of the embedded one (its own data folder). */
  postgresBinDir: string | undefined;
  ports: { postgres: number; aws: number; ses: number; httpBase: number; telegram: number; monitor: number };
  /** Real bot tokens, when given (otherwise the local fake Bot API serves made-up ones). */
  telegramTokens: Partial<Record<LocalEnvironment, string>>;
  prefix: string;
  logLevel: string;
}

export function localLayout(env: Env = process.env): LocalLayout {
  const settings = parseConfig(localSchema, env);
  const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
  const dataDir = settings.LOCAL_DATA_DIR ?? join(repoRoot, ".local");
  return {
    repoRoot,
    dataDir,
    // A cluster of another major version cannot open the embedded one's folder.
    postgresDir: join(dataDir, settings.LOCAL_PG_BIN_DIR ? "postgres-installed" : "postgres"),
    spoolDir: (environment) => join(dataDir, "spool", environment),
    monitorDir: join(dataDir, "monitor"),
    databaseUrl: settings.DATABASE_URL,
    postgresBinDir: settings.LOCAL_PG_BIN_DIR,
    ports: {
      postgres: settings.LOCAL_PG_PORT,
      aws: settings.LOCAL_AWS_PORT,
      ses: settings.LOCAL_SES_PORT,
      httpBase: settings.LOCAL_HTTP_PORT_BASE,
      telegram: settings.LOCAL_TELEGRAM_PORT,
      monitor: settings.LOCAL_MONITOR_PORT,
    },
    telegramTokens: {
      ...(settings.TELEGRAM_BOT_TOKEN ? { live: settings.TELEGRAM_BOT_TOKEN } : {}),
      ...(settings.TELEGRAM_BOT_TOKEN_TRAINING ? { training: settings.TELEGRAM_BOT_TOKEN_TRAINING } : {}),
    },
    prefix: settings.LOCAL_PREFIX,
    logLevel: settings.LOG_LEVEL,
  };
}
