// `isikhnas training refresh`: rebuilds training from live without a moment where training
// is half restored. A slot made first exports the snapshot the dump reads, so the
// subscription re-created on the new copy streams exactly what came after the dump: no gap,
// nothing twice. The new copy is checked, then swapped in by renames in one transaction;
// the old copy stays (as <name>_prev) until the next refresh.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { findPgTools, serverMajor } from "./pg-tools.js";
import {
  connect,
  createSubscription,
  databaseName,
  dropSlots,
  dropSubscriptions,
  ensurePublication,
  separateIdentityRanges,
  slotPrefix,
  subscriptionName,
  withClient,
  withDatabase,
} from "./replication.js";

export interface RefreshOptions {
  liveUrl: string;
  trainingUrl: string;
  /** How training's server reaches live for the subscription (default: liveUrl). */
  liveConninfo?: string | undefined;
  /** Folder of pg_dump/pg_restore (PG_BIN_DIR); found by the servers' version when unset. */
  binDir?: string | undefined;
  jobs?: number;
  /** Where the dump is written (and removed afterwards). */
  workDir?: string | undefined;
  log?: (line: string) => void;
  /** Aborting stops the refresh before the swap; training stays as it was. */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RefreshRecord {
  refreshedAt: string;
  slot: string;
  migration: string | null;
  rows: number;
}

export interface RefreshResult extends RefreshRecord {
  tables: number;
  previous: string | null;
}

export class RefreshCheckError extends Error {
  readonly code = "REFRESH_CHECK";
}

// One refresh at a time per training database, held on live for the whole run.
const LOCK_NAMESPACE = 15_0001;

interface Snapshot {
  counts: Map<string, number>;
  migration: string | null;
}

async function tableCounts(client: pg.Client): Promise<Snapshot> {
  const tables = await client.query<{ name: string }>(
    "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
  );
  const counts = new Map<string, number>();
  for (const { name } of tables.rows) {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
    counts.set(name, Number(result.rows[0]?.n ?? 0));
  }
  const migration = await client.query<{ name: string | null }>(
    "SELECT max(name) AS name FROM schema_migrations",
  );
  return { counts, migration: migration.rows[0]?.name ?? null };
}

function compare(expected: Snapshot, restored: Snapshot): string[] {
  const problems: string[] = [];
  for (const [table, count] of expected.counts) {
    const got = restored.counts.get(table);
    if (got !== count) problems.push(`${table}: ${count} rows on live, ${got ?? "no table"} restored`);
  }
  for (const table of restored.counts.keys())
    if (!expected.counts.has(table)) problems.push(`${table}: restored but not on live`);
  if (expected.migration !== restored.migration)
    problems.push(`migration ${restored.migration} restored, live is at ${expected.migration}`);
  return problems;
}

async function referenceVersion(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ version: string }>("SELECT version::text FROM reference_version");
  return Number(rows[0]?.version ?? 0);
}

async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  const result = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  return (result.rowCount ?? 0) > 0;
}

/** Drops a copy left by an earlier refresh, with any subscription it holds. */
async function dropCopy(admin: pg.Client, url: string, name: string): Promise<string[]> {
  if (!(await databaseExists(admin, name))) return [];
  await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} ALLOW_CONNECTIONS true`);
  const slots = await withClient(withDatabase(url, name), dropSubscriptions);
  await admin.query(`DROP DATABASE ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  return slots;
}

async function currentSlot(admin: pg.Client, trainingUrl: string, name: string): Promise<string | null> {
  if (!(await databaseExists(admin, name))) return null;
  return withClient(trainingUrl, async (training) => {
    const result = await training.query<{ slot: string | null }>(
      "SELECT subslotname AS slot FROM pg_subscription WHERE subname = $1",
      [subscriptionName(name)],
    );
    return result.rows[0]?.slot ?? null;
  });
}

export async function readRefreshRecord(client: pg.Client): Promise<RefreshRecord | null> {
  const result = await client.query<{ comment: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()",
  );
  const comment = result.rows[0]?.comment;
  if (!comment?.startsWith("{")) return null;
  return JSON.parse(comment) as RefreshRecord;
}

export async function refreshTraining(options: RefreshOptions): Promise<RefreshResult> {
  const log = options.log ?? (() => {});
  const signal = options.signal;
  const now = options.now ?? (() => new Date());
  const name = databaseName(options.trainingUrl);
  const nextName = `${name}_next`;
  const prevName = `${name}_prev`;
  const adminUrl = withDatabase(options.trainingUrl, "postgres");
  const nextUrl = withDatabase(options.trainingUrl, nextName);
  const jobs = options.jobs ?? 2;

  const live = await connect(options.liveUrl);
  const admin = await connect(adminUrl);
  let replication: pg.Client | undefined;
  let newSlot: string | undefined;
  let swapped = false;
  const dumpRoot = await mkdtemp(join(options.workDir ?? tmpdir(), "isikhnas-training-"));
  try {
    const locked = await live.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [
      LOCK_NAMESPACE,
      name,
    ]);
    if (!locked.rows[0]?.ok) throw new Error(`another refresh of ${name} is running`);

    const liveMajor = await serverMajor(live);
    const trainingMajor = await serverMajor(admin);
    if (liveMajor !== trainingMajor)
      throw new Error(`live runs PostgreSQL ${liveMajor}, training ${trainingMajor}`);
    const tools = await findPgTools(liveMajor, options.binDir);

    // What an interrupted refresh left: its half-made copy and its slot, which would hold WAL on live.
    const leftover = [...(await dropCopy(admin, options.trainingUrl, nextName))];
    leftover.push(...(await dropCopy(admin, options.trainingUrl, prevName)));
    const inUse = await currentSlot(admin, options.trainingUrl, name);
    const stale = await live.query<{ slot_name: string }>(
      "SELECT slot_name FROM pg_replication_slots WHERE starts_with(slot_name, $1) AND NOT active AND slot_name IS DISTINCT FROM $2",
      [slotPrefix(name), inUse],
    );
    await dropSlots(live, [
      ...new Set([...leftover.filter((slot) => slot !== inUse), ...stale.rows.map((row) => row.slot_name)]),
    ]);
    await ensurePublication(live);
    signal?.throwIfAborted();

    const startedAt = now();
    newSlot = `${slotPrefix(name)}${startedAt.toISOString().replace(/\D/g, "").slice(0, 14)}`;
    replication = await connect(options.liveUrl, true);
    const created = await replication.query<{ snapshot_name: string }>(
      `CREATE_REPLICATION_SLOT ${newSlot} LOGICAL pgoutput (SNAPSHOT 'export')`,
    );
    const snapshotName = created.rows[0]?.snapshot_name;
    if (!snapshotName) throw new Error("live exported no snapshot for the new slot");
    log(`slot ${newSlot} created; dumping live (${jobs} jobs)`);

    // The counts the restored copy must show: live's rows in the dump's own snapshot.
    await live.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await live.query(`SET TRANSACTION SNAPSHOT ${live.escapeLiteral(snapshotName)}`);
    const expected = await tableCounts(live);
    await live.query("COMMIT");

    const dumpDir = join(dumpRoot, "dump");
    await tools.run(
      "pg_dump",
      [
        "--format=directory",
        `--jobs=${jobs}`,
        `--snapshot=${snapshotName}`,
        "--no-publications",
        "--no-subscriptions",
        `--file=${dumpDir}`,
        `--dbname=${options.liveUrl}`,
      ],
      signal,
    );
    // The snapshot lives as long as the connection that exported it; the dump is done with it.
    await replication.end();
    replication = undefined;
    signal?.throwIfAborted();

    log(`restoring into ${nextName}`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(nextName)} TEMPLATE template0`);
    await tools.run(
      "pg_restore",
      [`--jobs=${jobs}`, "--no-owner", "--no-privileges", "--exit-on-error", `--dbname=${nextUrl}`, dumpDir],
      signal,
    );
    signal?.throwIfAborted();

    const record: RefreshRecord = {
      refreshedAt: startedAt.toISOString(),
      slot: newSlot,
      migration: expected.migration,
      rows: [...expected.counts.values()].reduce((sum, n) => sum + n, 0),
    };
    // The daemons hold training's reference data until its version moves: the new copy's
    // must be above the old copy's, or they would keep the old copy's code lists after the swap.
    const oldVersion = (await databaseExists(admin, name))
      ? await withClient(options.trainingUrl, referenceVersion)
      : 0;
    await withClient(nextUrl, async (next) => {
      const problems = compare(expected, await tableCounts(next));
      if (problems.length)
        throw new RefreshCheckError(`the restored copy differs from live: ${problems.join("; ")}`);
      await separateIdentityRanges(next);
      await next.query("UPDATE reference_version SET version = greatest(version, $1) + 1", [oldVersion]);
      await createSubscription(next, {
        name: subscriptionName(name),
        liveConninfo: options.liveConninfo ?? options.liveUrl,
        slot: newSlot as string,
        enabled: false,
      });
      await next.query(
        `COMMENT ON DATABASE ${next.escapeIdentifier(nextName)} IS ${next.escapeLiteral(JSON.stringify(record))}`,
      );
    });
    signal?.throwIfAborted();

    log(`swapping ${nextName} in as ${name}`);
    const hadTraining = await databaseExists(admin, name);
    const oldSlots = hadTraining ? await withClient(options.trainingUrl, dropSubscriptions) : [];
    const quoted = admin.escapeIdentifier(name);
    if (hadTraining) {
      // No new sessions while the old copy's are ended; the daemons reconnect to the new one.
      await admin.query(`ALTER DATABASE ${quoted} ALLOW_CONNECTIONS false`);
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [name],
      );
    }
    let swapFailure: unknown;
    try {
      await admin.query("BEGIN");
      if (hadTraining)
        await admin.query(`ALTER DATABASE ${quoted} RENAME TO ${admin.escapeIdentifier(prevName)}`);
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(nextName)} RENAME TO ${quoted}`);
      await admin.query("COMMIT");
      swapped = true;
    } catch (error) {
      await admin.query("ROLLBACK").catch(() => {});
      swapFailure = error;
    } finally {
      // Whichever copy is training now takes connections again.
      await admin.query(`ALTER DATABASE ${quoted} ALLOW_CONNECTIONS true`).catch(() => {});
    }
    const [oldSlot] = oldSlots;
    if (swapFailure !== undefined) {
      // The old copy stays training: it gets its subscription back on its own slot, which
      // has kept every change since, so the instant copy goes on where it stopped.
      if (oldSlot) {
        await withClient(options.trainingUrl, (training) =>
          createSubscription(training, {
            name: subscriptionName(name),
            liveConninfo: options.liveConninfo ?? options.liveUrl,
            slot: oldSlot,
            enabled: true,
          }),
        );
      }
      throw swapFailure;
    }
    await withClient(options.trainingUrl, (training) =>
      training.query(`ALTER SUBSCRIPTION ${training.escapeIdentifier(subscriptionName(name))} ENABLE`),
    );
    await dropSlots(live, oldSlots);
    log(
      `training refreshed: ${record.rows} rows in ${expected.counts.size} tables, migration ${record.migration}`,
    );
    return { ...record, tables: expected.counts.size, previous: hadTraining ? prevName : null };
  } catch (error) {
    if (!swapped) {
      // Training stays as it was; what this run made goes (a killed run's is dropped next time).
      await replication?.end().catch(() => {});
      await dropCopy(admin, options.trainingUrl, nextName).catch(() => {});
      if (newSlot) await dropSlots(live, [newSlot]).catch(() => {});
    }
    throw error;
  } finally {
    await rm(dumpRoot, { recursive: true, force: true });
    await live.end().catch(() => {});
    await admin.end().catch(() => {});
  }
}
