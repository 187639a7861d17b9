// `isikhnas training status`: when training was last rebuilt, whether the instant copy is
// running, how far it lags, and how much WAL its slot holds on live (a stuck slot fills
// live's disk).
import { type RefreshRecord, readRefreshRecord } from "./refresh.js";
import { databaseName, slotPrefix, subscriptionName, withClient } from "./replication.js";

export interface TrainingStatus {
  lastRefresh: RefreshRecord | null;
  subscription: {
    name: string;
    enabled: boolean;
    slot: string | null;
    applyErrors: number;
    /** When training last heard from live (keepalives count: an idle live still answers). */
    lastMessageAt: string | null;
  } | null;
  slot: {
    name: string;
    active: boolean;
    /** WAL live keeps for the slot. */
    retainedBytes: number;
    /** WAL written on live that training has not confirmed yet. */
    lagBytes: number;
  } | null;
  /** What needs a person: empty when the copy runs. */
  problems: string[];
}

export async function trainingStatus(options: {
  liveUrl: string;
  trainingUrl: string;
}): Promise<TrainingStatus> {
  const name = subscriptionName(databaseName(options.trainingUrl));
  const training = await withClient(options.trainingUrl, async (client) => {
    const lastRefresh = await readRefreshRecord(client);
    const result = await client.query<{
      enabled: boolean;
      slot: string | null;
      apply_errors: string | null;
      last_message_at: Date | null;
    }>(
      `SELECT s.subenabled AS enabled, s.subslotname AS slot, st.apply_error_count AS apply_errors,
              (SELECT max(last_msg_receipt_time) FROM pg_stat_subscription w WHERE w.subid = s.oid) AS last_message_at
         FROM pg_subscription s LEFT JOIN pg_stat_subscription_stats st ON st.subid = s.oid
        WHERE s.subname = $1 AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [name],
    );
    const row = result.rows[0];
    return {
      lastRefresh,
      subscription: row
        ? {
            name,
            enabled: row.enabled,
            slot: row.slot,
            applyErrors: Number(row.apply_errors ?? 0),
            lastMessageAt: row.last_message_at?.toISOString() ?? null,
          }
        : null,
    };
  });
  const slotName = training.subscription?.slot ?? null;
  // Every slot of this training database on live: the subscription's, and any a killed
  // refresh left behind (which holds WAL until the next refresh drops it).
  const slots = await withClient(options.liveUrl, async (client) => {
    const result = await client.query<{ slot_name: string; active: boolean; retained: string; lag: string }>(
      `SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) AS retained,
              pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) AS lag
         FROM pg_replication_slots WHERE starts_with(slot_name, $1) OR slot_name = $2`,
      [slotPrefix(databaseName(options.trainingUrl)), slotName],
    );
    return result.rows.map((row) => ({
      name: row.slot_name,
      active: row.active,
      retainedBytes: Number(row.retained),
      lagBytes: Number(row.lag),
    }));
  });
  const slot = slots.find((candidate) => candidate.name === slotName) ?? null;

  const problems: string[] = [];
  const subscription = training.subscription;
  if (!training.lastRefresh)
    problems.push("training was never refreshed from live (isikhnas training refresh)");
  if (!subscription)
    problems.push(`no subscription ${name} on training: users and infrastructure are not copied`);
  else {
    if (!subscription.enabled)
      problems.push(
        `subscription ${name} is disabled${subscription.applyErrors ? ` after ${subscription.applyErrors} apply error(s) (a row from live conflicts with one in training: see the training server's log)` : ""}`,
      );
    if (!slot) problems.push(`slot ${subscription.slot} is missing on live`);
    else if (subscription.enabled && !slot.active) problems.push(`slot ${slot.name} on live has no reader`);
  }
  for (const stray of slots.filter((candidate) => candidate.name !== slotName))
    problems.push(
      `slot ${stray.name} on live belongs to no subscription and holds ${stray.retainedBytes} bytes of WAL (the next refresh drops it, or SELECT pg_drop_replication_slot('${stray.name}'))`,
    );
  return { ...training, slot, problems };
}
