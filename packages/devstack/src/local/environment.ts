// The environment every daemon gets under `npm start`, derived from where the local stack
// listens, so a one-off command (piping a mail into email-ingest) can use the same.
import { databaseUrlFor } from "../postgres.js";
import type { LocalEnvironment, LocalLayout } from "./layout.js";

export interface LocalEndpoints {
  databaseUrls: Record<LocalEnvironment, string>;
  awsEndpoint: string;
  sesEndpoint: string;
  spoolDirs: Record<LocalEnvironment, string>;
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
  };
}
