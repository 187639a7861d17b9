import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../reference/demo.js";
import { createEngineFixture, type EngineFixture, minutesAfter, T0 } from "../testing/engine.js";

let fx: EngineFixture;

beforeAll(async () => {
  fx = await createEngineFixture();
});
afterAll(async () => {
  await fx.close();
});

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const result = await fx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values);
  return result.rows[0]?.n ?? -1;
}

// The reply goes out with COMMIT in the same write: a process or connection lost between
// the command's write and that COMMIT must leave nothing, and the redelivery do it all once.
describe("a message cut off at its last statement", () => {
  it("leaves nothing when the connection dies as the reply is queued, and is handled once when redelivered", async () => {
    const phone = DEMO_USERS.village_reporter.phone;
    // The connection is terminated inside the statement that queues the reply, the one
    // COMMIT travels with: as a crash or a database restart at that moment would.
    await fx.db.query(`
      CREATE FUNCTION test_cut_connection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_terminate_backend(pg_backend_pid());
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_cut_connection BEFORE INSERT ON outbound_messages
        FOR EACH ROW WHEN (NEW.kind = 'reply') EXECUTE FUNCTION test_cut_connection();`);
    const message = { externalId: "midway-cut-1", receivedAt: minutesAfter(T0, 900) };
    await expect(fx.send("village_reporter", "U dm sp 7", message)).rejects.toThrow(
      /terminat|not queryable/i,
    );
    expect(await count("inbound_messages WHERE external_id = 'midway-cut-1'")).toBe(0);
    expect(await count("cases WHERE species_code = 'SP' AND animal_count = 7")).toBe(0);
    expect(await count("outbound_messages WHERE address = $1 AND body LIKE '%7 sapi%'", [phone])).toBe(0);

    await fx.db.query(
      "DROP TRIGGER test_cut_connection ON outbound_messages; DROP FUNCTION test_cut_connection()",
    );
    const redelivered = await fx.send("village_reporter", "U dm sp 7", message);
    expect(redelivered.duplicate).toBe(false);
    expect(redelivered.reply?.body).toMatch(/ID Kasus \d+/);
    expect(await count("inbound_messages WHERE external_id = 'midway-cut-1'")).toBe(1);
    expect(await count("cases WHERE species_code = 'SP' AND animal_count = 7")).toBe(1);
    expect(
      await count("outbound_messages WHERE inbound_message_id = $1 AND kind = 'reply'", [
        redelivered.inboundMessageId,
      ]),
    ).toBe(1);
  });

  it("keeps every other connection of the pool working after the cut", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        fx.send("village_reporter", `KODE SP`, { externalId: `midway-after-${index}` }),
      ),
    );
    expect(results.every((result) => result.reply !== null)).toBe(true);
  });
});
