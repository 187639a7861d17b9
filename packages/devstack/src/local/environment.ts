// The environment every daemon gets under `npm start`, derived from where the local stack
// listens, so a one-off command (piping a mail into email-ingest) can use the same.
import { join } from "node:path";
import { databaseUrlFor } from "../postgres.js";
import type { LocalEnvironment, LocalLayout } from "./layout.js";

export interface LocalEndpoints {
  databaseUrls: Record<LocalEnvironment, string>;
  awsEndpoint: string;
  sesEndpoint: string;
  spoolDirs: Record<LocalEnvironment, string>;
  /** Each environment's bot: its token and the Bot API it talks to (the local fake unless a real token was given). */
  telegram: Record<LocalEnvironment, LocalBot>;
}

export interface LocalBot {
  token: string;
  apiRoot: string;
  /** Whether apiRoot is the local fake (which `npm run chat` can talk to). */
  fake: boolean;
}

/** The made-up tokens of the local fake bots (their numeric ids are the bots' ids). */
export const LOCAL_BOT_TOKENS: Record<LocalEnvironment, string> = {
  live: "7000000001:local-live-bot-token",
  training: "7000000002:local-training-bot-token",
};

function localBot(layout: LocalLayout, environment: LocalEnvironment, offset: number): LocalBot {
  const real = layout.telegramTokens[environment];
  if (real) return { token: real, apiRoot: "https://api.telegram.org", fake: false };
  return {
    token: LOCAL_BOT_TOKENS[environment],
    apiRoot: `http://127.0.0.1:${layout.ports.telegram + offset}`,
    fake: true,
  };
}

export const LOCAL_INGEST_ADDRESS = {
  live: "laporan@isikhnas.local",
  training: "latihan@isikhnas.local",
} as const;

/** Where a running `npm start` stack listens (its fixed ports). */
export function localEndpoints(layout: LocalLayout): LocalEndpoints {
  const admin =
    layout.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${layout.ports.postgres}/postgres`;
  return {
    databaseUrls: {
      live: databaseUrlFor(admin, "isikhnas_live"),
      training: databaseUrlFor(admin, "isikhnas_training"),
    },
    awsEndpoint: `http://127.0.0.1:${layout.ports.aws}`,
    sesEndpoint: `http://127.0.0.1:${layout.ports.ses}`,
    spoolDirs: { live: layout.spoolDir("live"), training: layout.spoolDir("training") },
    telegram: { live: localBot(layout, "live", 0), training: localBot(layout, "training", 1) },
  };
}

export function commonDaemonEnv(layout: LocalLayout, endpoints: LocalEndpoints): Record<string, string> {
  return {
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: endpoints.awsEndpoint,
    AWS_ENDPOINT_URL_S3: endpoints.awsEndpoint,
    AWS_ENDPOINT_URL_SES: endpoints.sesEndpoint,
    RESOURCE_PREFIX: layout.prefix,
    DATABASE_URL: endpoints.databaseUrls.live,
    TRAINING_DATABASE_URL: endpoints.databaseUrls.training,
    LOG_LEVEL: layout.logLevel,
    MAIL_FROM: `iSIKHNAS <${LOCAL_INGEST_ADDRESS.live}>`,
    INGEST_ADDRESS_LIVE: LOCAL_INGEST_ADDRESS.live,
    INGEST_ADDRESS_TRAINING: LOCAL_INGEST_ADDRESS.training,
  };
}

export function environmentDaemonEnv(
  endpoints: LocalEndpoints,
  environment: LocalEnvironment,
): Record<string, string> {
  return {
    ISIKHNAS_ENV: environment,
    DATABASE_URL: endpoints.databaseUrls[environment],
    SMS_SPOOL_DIR: endpoints.spoolDirs[environment],
    TELEGRAM_BOT_TOKEN: endpoints.telegram.live.token,
    TELEGRAM_BOT_TOKEN_TRAINING: endpoints.telegram.training.token,
    TELEGRAM_API_ROOT: endpoints.telegram[environment].apiRoot,
  };
}

/** The local canary user (a viewer: its KODE query stores no report and alerts nobody). */
export const LOCAL_CANARY_PHONE = "6281100000099";
/** A made-up administrator: the local monitor's texts are files in its outbox, never sent. */
export const LOCAL_ADMIN_PHONE = "6281100000098";

/** The monitor's settings under `npm start`: every daemon's /readyz, the queues, the live database and spool. */
export function monitorDaemonEnv(
  layout: LocalLayout,
  endpoints: LocalEndpoints,
  daemons: readonly { label: string; httpPort: number }[],
): Record<string, string> {
  return {
    MONITOR_READYZ_URLS: daemons
      .map((daemon) => `${daemon.label}=http://127.0.0.1:${daemon.httpPort}/readyz`)
      .join(","),
    MONITOR_STORE_PATH: join(layout.monitorDir, "monitor.sqlite"),
    MONITOR_NOTIFY: "spool",
    MONITOR_NOTIFY_SPOOL_DIR: join(layout.monitorDir, "outbox"),
    MONITOR_ADMIN_PHONES: LOCAL_ADMIN_PHONE,
    MONITOR_DATABASE_URL: endpoints.databaseUrls.live,
    MONITOR_CANARY_SPOOL_DIR: endpoints.spoolDirs.live,
    MONITOR_CANARY_PHONE: LOCAL_CANARY_PHONE,
  };
}

/** Where `npm start` notes the daemons it runs, for the operator command's console. */
export function runningDaemonsFile(layout: LocalLayout): string {
  return join(layout.dataDir, "daemons.json");
}

/**
 * The ops console's view of the local stack: every daemon `npm start` noted (its
 * `/readyz`), and the local monitor's `/status`.
 */
export function consoleEnv(
  layout: LocalLayout,
  daemons: readonly { label: string; httpPort: number }[],
): Record<string, string> {
  return {
    MONITOR_STATUS_URL: `http://127.0.0.1:${layout.ports.monitor}/status`,
    ...(daemons.length
      ? {
          CONSOLE_DAEMON_URLS: daemons
            .map((daemon) => `${daemon.label}=http://127.0.0.1:${daemon.httpPort}`)
            .join(","),
        }
      : {}),
  };
}
