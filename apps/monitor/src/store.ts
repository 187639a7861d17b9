// The monitor's own history in SQLite (Node's built-in node:sqlite, so nothing to build or
// download): the last verdict of every check, incidents and what the administrators were
// told of them, and since when each queue has had messages waiting. It lives on the
// monitor's host, apart from everything the monitor watches.
import { DatabaseSync } from "node:sqlite";

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CheckState {
  name: string;
  ok: boolean;
  lastCheckedAt: string | null;
  consecutiveFailures: number;
  detail: string;
}

export interface Incident {
  id: number;
  check: string;
  openedAt: string;
  resolvedAt: string | null;
  detail: string;
  notifiedAt: string | null;
}

/** What a round's notification must say; the ids are marked once it went out. */
export interface PendingNotice {
  opened: Incident[];
  reminders: Incident[];
  recovered: Incident[];
}

interface IncidentRow {
  id: number;
  check_name: string;
  opened_at: string;
  resolved_at: string | null;
  detail: string;
  notified_at: string | null;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS checks (
    name TEXT PRIMARY KEY,
    ok INTEGER NOT NULL,
    last_checked_at TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    check_name TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    resolved_at TEXT,
    detail TEXT NOT NULL,
    notified_at TEXT,
    reminded_at TEXT,
    recovery_notified_at TEXT
  );
  -- One open incident per check, whatever a crash or a second round in flight might try.
  CREATE UNIQUE INDEX IF NOT EXISTS incidents_one_open ON incidents (check_name) WHERE resolved_at IS NULL;
  CREATE TABLE IF NOT EXISTS queue_backlog (
    queue TEXT PRIMARY KEY,
    waiting_since TEXT
  );
`;

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    check: row.check_name,
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
    detail: row.detail,
    notifiedAt: row.notified_at,
  };
}

export class MonitorStore {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    // WAL keeps a reader (the status page) from blocking a round's write; a crash loses nothing committed.
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
    this.#db.exec(SCHEMA);
  }

  ping(): boolean {
    return this.#db.prepare("SELECT 1 AS one").get()?.one === 1;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Records one round's verdicts: a check failing `failuresToOpen` times in a row opens an
   * incident (unless one is open), a passing check resolves its open incident.
   */
  recordRound(results: readonly CheckResult[], at: Date, failuresToOpen: number): void {
    const now = at.toISOString();
    const upsert = this.#db.prepare(`
      INSERT INTO checks (name, ok, last_checked_at, consecutive_failures, detail)
      VALUES (:name, :ok, :now, CASE WHEN :ok = 1 THEN 0 ELSE 1 END, :detail)
      ON CONFLICT (name) DO UPDATE SET
        ok = excluded.ok,
        last_checked_at = excluded.last_checked_at,
        consecutive_failures = CASE WHEN excluded.ok = 1 THEN 0 ELSE checks.consecutive_failures + 1 END,
        detail = excluded.detail
      RETURNING consecutive_failures`);
    const open = this.#db.prepare(`
      INSERT INTO incidents (check_name, opened_at, detail) VALUES (?, ?, ?)
      ON CONFLICT (check_name) WHERE resolved_at IS NULL DO NOTHING`);
    const resolve = this.#db.prepare(
      "UPDATE incidents SET resolved_at = ? WHERE check_name = ? AND resolved_at IS NULL",
    );
    this.#transaction(() => {
      for (const result of results) {
        const row = upsert.get({ name: result.name, ok: result.ok ? 1 : 0, now, detail: result.detail });
        const failures = Number(row?.consecutive_failures ?? 0);
        if (result.ok) resolve.run(now, result.name);
        else if (failures >= failuresToOpen) open.run(result.name, now, result.detail);
      }
    });
  }

  /** Incidents the administrators have not yet been told about, are due a reminder of, or saw end. */
  pendingNotice(at: Date, reminderMs: number): PendingNotice {
    const remindBefore = new Date(at.getTime() - reminderMs).toISOString();
    const select = (where: string, ...params: string[]) =>
      (
        this.#db
          .prepare(
            `SELECT id, check_name, opened_at, resolved_at, detail, notified_at FROM incidents WHERE ${where} ORDER BY id`,
          )
          .all(...params) as unknown as IncidentRow[]
      ).map(toIncident);
    return {
      opened: select("resolved_at IS NULL AND notified_at IS NULL"),
      reminders: select(
        "resolved_at IS NULL AND notified_at IS NOT NULL AND COALESCE(reminded_at, notified_at) <= ?",
        remindBefore,
      ),
      recovered: select(
        "resolved_at IS NOT NULL AND notified_at IS NOT NULL AND recovery_notified_at IS NULL",
      ),
    };
  }

  /** Marks what a notification said as told (call only once it went out). */
  markNotified(notice: PendingNotice, at: Date): void {
    const now = at.toISOString();
    this.#transaction(() => {
      const opened = this.#db.prepare("UPDATE incidents SET notified_at = ? WHERE id = ?");
      for (const incident of notice.opened) opened.run(now, incident.id);
      const reminded = this.#db.prepare("UPDATE incidents SET reminded_at = ? WHERE id = ?");
      for (const incident of notice.reminders) reminded.run(now, incident.id);
      const recovered = this.#db.prepare("UPDATE incidents SET recovery_notified_at = ? WHERE id = ?");
      for (const incident of notice.recovered) recovered.run(now, incident.id);
    });
  }

  /**
   * Closes, without a text, the open incidents of checks no longer configured: nothing would
   * ever resolve them, and they would be reminded of every day. Returns their ids.
   */
  retireUnlisted(names: readonly string[], at: Date): number[] {
    const now = at.toISOString();
    const rows = this.#db
      .prepare(
        `UPDATE incidents SET resolved_at = :now, recovery_notified_at = :now,
           detail = detail || ' (check no longer configured)'
         WHERE resolved_at IS NULL AND check_name NOT IN (SELECT value FROM json_each(:names))
         RETURNING id`,
      )
      .all({ now, names: JSON.stringify(names) }) as { id: number }[];
    return rows.map((row) => row.id);
  }

  checks(names: readonly string[]): CheckState[] {
    const get = this.#db.prepare(
      "SELECT ok, last_checked_at, consecutive_failures, detail FROM checks WHERE name = ?",
    );
    return names.map((name) => {
      const row = get.get(name) as
        | { ok: number; last_checked_at: string; consecutive_failures: number; detail: string }
        | undefined;
      return row
        ? {
            name,
            ok: row.ok === 1,
            lastCheckedAt: row.last_checked_at,
            consecutiveFailures: row.consecutive_failures,
            detail: row.detail,
          }
        : { name, ok: false, lastCheckedAt: null, consecutiveFailures: 0, detail: "not checked yet" };
    });
  }

  /** Open incidents and the last `closed` resolved ones, newest first. */
  incidents(closed = 50): Incident[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM (
           SELECT id, check_name, opened_at, resolved_at, detail, notified_at FROM incidents WHERE resolved_at IS NULL
           UNION ALL
           SELECT * FROM (SELECT id, check_name, opened_at, resolved_at, detail, notified_at FROM incidents
                          WHERE resolved_at IS NOT NULL ORDER BY id DESC LIMIT ?)
         ) ORDER BY id DESC`,
      )
      .all(closed) as unknown as IncidentRow[];
    return rows.map(toIncident);
  }

  /**
   * Since when a queue has had messages waiting without once being seen empty: set at the
   * first sighting of a backlog, cleared when the queue is seen empty.
   */
  queueWaitingSince(queue: string, depth: number, at: Date): Date | undefined {
    const row = this.#db
      .prepare(
        `INSERT INTO queue_backlog (queue, waiting_since) VALUES (:queue, CASE WHEN :depth > 0 THEN :now END)
         ON CONFLICT (queue) DO UPDATE SET waiting_since =
           CASE WHEN :depth > 0 THEN COALESCE(queue_backlog.waiting_since, :now) END
         RETURNING waiting_since`,
      )
      .get({ queue, depth, now: at.toISOString() }) as { waiting_since: string | null } | undefined;
    return row?.waiting_since ? new Date(row.waiting_since) : undefined;
  }
}
