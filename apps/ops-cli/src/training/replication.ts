// The instant copy of live's users and infrastructure into training: a publication on live,
// a subscription on training that streams from a slot made beforehand, and the identity
// ranges that keep trainees' own rows apart from rows arriving from live.
import pg from "pg";

/** Users, contacts, areas, user types and permissions, infrastructure, and what they refer to. */
export const PUBLISHED_TABLES = [
  "locations",
  "user_types",
  "commands",
  "templates",
  "command_permissions",
  "template_permissions",
  "infrastructure",
  "users",
  "contacts",
  "user_areas",
] as const;

export const PUBLICATION = "isikhnas_training";

/**
 * Rows trainees create in training take ids from here up; live's ids stay far below, so a
 * practice registration and a live row never claim the same id.
 */
export const TRAINING_IDENTITY_START = 1_000_000_000_000;

/** A connection that callers end; every training step works on a few short ones. */
export async function connect(url: string, replication = false): Promise<pg.Client> {
  // pg hands `replication` to the server (a walsender session), though its types omit it.
  const config: pg.ClientConfig & { replication?: "database" } = { connectionString: url };
  if (replication) config.replication = "database";
  const client = new pg.Client(config);
  // A connection terminated by the server (a swap, a restart) rejects the query in flight.
  client.on("error", () => {});
  await client.connect();
  return client;
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates live's publication or sets its tables to the current list. */
export async function ensurePublication(live: pg.Client): Promise<void> {
  const tables = PUBLISHED_TABLES.join(", ");
  const exists = await live.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [PUBLICATION]);
  await live.query(
    exists.rowCount
      ? `ALTER PUBLICATION ${PUBLICATION} SET TABLE ${tables}`
      : `CREATE PUBLICATION ${PUBLICATION} FOR TABLE ${tables}`,
  );
}

/** The subscription's and slots' names carry the training database's name: several may share a server. */
export function subscriptionName(trainingDatabase: string): string {
  return `sidecar_${trainingDatabase}`.slice(0, 63);
}

export function slotPrefix(trainingDatabase: string): string {
  // Slot names take lower-case letters, digits and underscores only.
  return `sidecar_${trainingDatabase.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_`.slice(0, 48);
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Trainees' rows on the published tables get ids from TRAINING_IDENTITY_START up. */
export async function separateIdentityRanges(training: pg.Client): Promise<void> {
  for (const table of PUBLISHED_TABLES) {
    await training.query(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST($2::bigint, (SELECT coalesce(max(id), 0) + 1 FROM ${table})), false)`,
      [table, TRAINING_IDENTITY_START],
    );
  }
}

export interface SubscriptionOptions {
  name: string;
  /** How training's server reaches live (the same server locally). */
  liveConninfo: string;
  slot: string;
  enabled: boolean;
}

/**
 * Subscribes training to live's publication on a slot that already exists: a subscription
 * to a database of the same cluster must not create its slot itself (the command would wait
 * on its own transaction). Data before the slot's start came with the dump, so no copy.
 * A conflict (a unique key taken by a trainee's row) disables the subscription rather than
 * retrying for ever; `training status` reports it.
 */
export async function createSubscription(training: pg.Client, options: SubscriptionOptions): Promise<void> {
  await training.query(
    `CREATE SUBSCRIPTION ${training.escapeIdentifier(options.name)} CONNECTION ${training.escapeLiteral(options.liveConninfo)}
       PUBLICATION ${PUBLICATION}
       WITH (create_slot = false, slot_name = ${training.escapeLiteral(options.slot)}, copy_data = false,
             enabled = ${options.enabled}, disable_on_error = true)`,
  );
}

/**
 * Drops every subscription of the connected database without touching its slot (which may
 * be on another server, or already gone); returns the slots they used, for the caller to drop.
 */
export async function dropSubscriptions(training: pg.Client): Promise<string[]> {
  const subscriptions = await training.query<{ subname: string; subslotname: string | null }>(
    "SELECT subname, subslotname FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
  );
  for (const { subname } of subscriptions.rows) {
    const name = training.escapeIdentifier(subname);
    await training.query(`ALTER SUBSCRIPTION ${name} DISABLE`);
    await training.query(`ALTER SUBSCRIPTION ${name} SET (slot_name = NONE)`);
    await training.query(`DROP SUBSCRIPTION ${name}`);
  }
  return subscriptions.rows.flatMap((row) => (row.subslotname ? [row.subslotname] : []));
}

/** Drops slots on live, waiting out a walsender that is still letting go of one. */
export async function dropSlots(live: pg.Client, slots: readonly string[]): Promise<void> {
  for (const slot of slots) {
    await live.query(
      `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL`,
      [slot],
    );
    for (let attempt = 0; ; attempt++) {
      try {
        await live.query(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
          [slot],
        );
        break;
      } catch (error) {
        // 55006: the slot is still active while its walsender exits.
        if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
