// Command engine throughput end to end (store inbound, resolve sender, parse, check, execute,
// queue reply and alerts, all in one transaction each) beside the bare cost of the same
// inserts written directly, on the same PostgreSQL.
// Run: npm run bench:commands [-- --messages 2000 --concurrency 8 --database-url postgres://…]
import { parseArgs } from "node:util";
import { DEMO_USERS, type DemoUserType, handleInboundMessage } from "@isikhnas/domain";
import { createDatabase, type Database } from "@isikhnas/platform";
import { inParallel } from "./pool.js";
import { startSeededDatabase } from "./stack.js";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
    /** An existing server to use instead of the embedded one. */
    "database-url": { type: "string" },
  },
});
const messages = Number(args.messages);
const concurrency = Number(args.concurrency);

// Senders allowed to send U in village 72060202 without differential diagnoses.
const reporters: DemoUserType[] = ["village_reporter", "paravet", "inseminator", "champion"];
const signs = ["MC", "DM", "BT", "LM", "NM", "MC,DM", "BT,SN"];
const species = ["SP", "KB", "AY", "BB", "KR"];

function text(index: number): string {
  // Distinct texts so the 10-minute duplicate rule does not turn them into repeats.
  return `U ${signs[index % signs.length]} ${species[index % species.length]} ${1 + (index % 997)} 72060202`;
}

async function engine(db: Database, runId: string, day: number): Promise<number> {
  const base = Date.parse("2025-06-02T00:00:00Z") + day * 86_400_000;
  return inParallel(concurrency, messages, async (index) => {
    const sender = reporters[index % reporters.length] ?? "village_reporter";
    const result = await handleInboundMessage(db, {
      channel: "sms",
      sender: DEMO_USERS[sender].phone,
      text: text(index),
      receivedAt: new Date(base + index * 1000),
      externalId: `${runId}-${index}`,
      environment: "live",
    });
    if (!result.reply || result.alerts.length === 0)
      throw new Error(`unexpected outcome: ${result.reply?.body}`);
  });
}

/** The rows one U message writes, inserted directly: the floor under the engine's cost. */
async function bareInserts(db: Database, runId: string): Promise<number> {
  const ids = await db.query<{ user_id: number; home_location_id: number }>(
    "SELECT c.user_id, u.home_location_id FROM contacts c JOIN users u ON u.id = c.user_id WHERE c.address = $1",
    [DEMO_USERS.village_reporter.phone],
  );
  const reporter = ids.rows[0];
  if (!reporter) throw new Error("demo data missing");
  return inParallel(concurrency, messages, async (index) => {
    await db.transaction(async (tx) => {
      const inbound = await tx.query<{ id: number }>(
        `INSERT INTO inbound_messages (channel, sender, text, normalised_text, received_at, external_id)
         VALUES ('sms', $1, $2, $2, now(), $3) RETURNING id`,
        [DEMO_USERS.village_reporter.phone, text(index), `${runId}-bare-${index}`],
      );
      const inboundId = inbound.rows[0]?.id;
      const created = await tx.query<{ id: number }>(
        `WITH new_case AS (
           INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at, inbound_message_id)
           VALUES ('U', $1, $2, 'SP', 4, now(), $3) RETURNING id
         ), signs AS (
           INSERT INTO case_signs (case_id, sign_code) SELECT id, 'MC' FROM new_case
         ), reported AS (
           INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at)
           SELECT id, 'reported', $1, $3, now() FROM new_case
         )
         SELECT id FROM new_case`,
        [reporter.user_id, reporter.home_location_id, inboundId],
      );
      await tx.query(
        `INSERT INTO outbound_messages (channel, address, body, kind, inbound_message_id)
         VALUES ('sms', $1, 'reply', 'reply', $2), ('sms', $1, 'alert', 'alert', $2), ('sms', $1, 'alert', 'alert', $2)`,
        [DEMO_USERS.district_vet.phone, inboundId],
      );
      await tx.query("UPDATE inbound_messages SET status = 'accepted', case_id = $2 WHERE id = $1", [
        inboundId,
        created.rows[0]?.id,
      ]);
    });
  });
}

const seeded = await startSeededDatabase("bench_commands", args["database-url"]);
const db = createDatabase({
  DATABASE_URL: seeded.databaseUrl,
  DB_POOL_MAX: concurrency + 2,
  DB_STATEMENT_TIMEOUT_MS: 30_000,
});
try {
  await engine(db, "warmup", 0);
  const engineSeconds = await engine(db, "run", 1);
  const bareSeconds = await bareInserts(db, "run");
  const rate = (seconds: number) => Math.round(messages / seconds);
  console.log(`command engine, ${messages} U messages, concurrency ${concurrency}`);
  console.log(`  end to end (parse + checks + one transaction): ${rate(engineSeconds)} messages/s`);
  console.log(`  bare inserts of the same rows:                 ${rate(bareSeconds)} messages/s`);
  console.log(`  engine overhead: ${(engineSeconds / bareSeconds).toFixed(2)}x the bare inserts`);
} finally {
  await db.close();
  await seeded.stop();
}
