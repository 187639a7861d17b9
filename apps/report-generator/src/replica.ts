// Whether the replica has replayed far enough for a period, and the error a replica
// raises when replay cancels a report's query: both mean "later", never "dead-letter".
import type { Queryable } from "@isikhnas/platform";

export interface ReplicaState {
  caughtUp: boolean;
  /** True when the database read is a standby; false when reports read the primary. */
  standby: boolean;
  replayedLsn: string | null;
  replayedAt: Date | null;
}

/**
 * A run records the primary's WAL position when it was created (after its period ended):
 * once the replica has replayed past it, every row of the period is on the replica.
 */
export async function replicaState(replica: Queryable, waitLsn: string | null): Promise<ReplicaState> {
  const { rows } = await replica.query<{
    standby: boolean;
    replayed_lsn: string | null;
    replayed_at: Date | null;
    caught_up: boolean | null;
  }>(
    `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed_lsn,
       pg_last_xact_replay_timestamp() AS replayed_at,
       CASE WHEN NOT pg_is_in_recovery() OR $1::pg_lsn IS NULL THEN true
            ELSE pg_last_wal_replay_lsn() >= $1::pg_lsn END AS caught_up`,
    [waitLsn],
  );
  const row = rows[0];
  return {
    caughtUp: row?.caught_up === true,
    standby: row?.standby === true,
    replayedLsn: row?.replayed_lsn ?? null,
    replayedAt: row?.replayed_at ?? null,
  };
}

/** The primary's current WAL position. */
export async function currentLsn(primary: Queryable): Promise<string> {
  const { rows } = await primary.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  return rows[0]?.lsn ?? "0/0";
}

/**
 * "canceling statement due to conflict with recovery" (SQLSTATE 40001 on a hot standby,
 * 40P01 for a lock conflict): replay needed rows the report's snapshot still saw.
 */
export function isRecoveryConflict(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === "40001" || code === "40P01") &&
    typeof message === "string" &&
    message.includes("conflict with recovery")
  );
}
