// The engine holds reference data in the process; an edit made through another connection
// (another daemon, an operator's SQL) is seen by the next message, without a restart, and
// the sender's own record (active, areas, type) is never taken from a stale copy.
import type { Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineFixture, type EngineFixture, minutesAfter, T0 } from "../testing/engine.js";

let fx: EngineFixture;
/** Another process's connection: its own pool (the stack closes it), so its own cache. */
let operator: Database;
let minute = 0;

beforeAll(async () => {
  fx = await createEngineFixture();
  operator = fx.stack.openDatabase();
});
afterAll(async () => {
  await fx.close();
});

/** Each message 20 minutes after the last, outside the duplicate window. */
function later() {
  minute += 20;
  return { receivedAt: minutesAfter(T0, minute) };
}

async function replyTo(from: Parameters<EngineFixture["send"]>[0], text: string): Promise<string> {
  const result = await fx.send(from, text, later());
  return result.reply?.body ?? "";
}

describe("reference data held in the process", () => {
  it("sees a code added, renamed and withdrawn in another process at the next message", async () => {
    expect(await replyTo("village_reporter", "U mc zb 2")).toMatch(/ZB/);
    await operator.query(
      "INSERT INTO codes (list_code, code, label_id, label_en) VALUES ('SP', 'ZB', 'Zebu', 'Zebu')",
    );
    expect(await replyTo("village_reporter", "U mc zb 2")).toMatch(/ID Kasus \d+\]\. 2 zebu/);
    await operator.query("UPDATE codes SET label_id = 'Sapi zebu' WHERE list_code = 'SP' AND code = 'ZB'");
    expect(await replyTo("village_reporter", "U mc zb 3")).toMatch(/3 sapi zebu/);
    expect(await replyTo("village_reporter", "KODE SP")).toMatch(/ZB sapi zebu/);
    await operator.query("UPDATE codes SET deleted_at = now() WHERE list_code = 'SP' AND code = 'ZB'");
    const refused = await replyTo("village_reporter", "U mc zb 4");
    expect(refused).toMatch(/ZB/);
    expect(refused).not.toMatch(/ID Kasus/);
  });

  it("sees a village added after a report named it, and a permission withdrawn and given back", async () => {
    expect(await replyTo("district_vet", "U mc sp 2 72060299 coc")).not.toMatch(/Case ID/);
    await operator.query(
      "INSERT INTO locations (code, parent_code, name) VALUES ('72060299', '720602', 'Desa Baru')",
    );
    expect(await replyTo("district_vet", "U mc sp 2 72060299 coc")).toMatch(
      /Case ID \d+\]\. 2 cattle.*Desa Baru/,
    );

    await operator.query(
      "UPDATE command_permissions SET deleted_at = now() WHERE user_type = 'village_reporter' AND command_code = 'U'",
    );
    try {
      expect(await replyTo("village_reporter", "U mc sp 5")).not.toMatch(/ID Kasus/);
      expect(await replyTo("village_reporter", "?")).not.toMatch(/\bU kasus/);
    } finally {
      await operator.query(
        "UPDATE command_permissions SET deleted_at = NULL WHERE user_type = 'village_reporter' AND command_code = 'U'",
      );
    }
    expect(await replyTo("village_reporter", "U mc sp 5")).toMatch(/ID Kasus \d+/);
  });

  it("never lets a deactivated or re-assigned user work from what an earlier message read", async () => {
    expect(await replyTo("paravet", "U mc sp 2 72060201")).toMatch(/ID Kasus \d+/);
    await operator.query(
      "UPDATE users SET active = false WHERE id = (SELECT user_id FROM contacts WHERE address = '6281100000006')",
    );
    try {
      const inactive = await fx.send("paravet", "U mc sp 3 72060201", later());
      expect(inactive.alerts).toEqual([]);
      const stored = await fx.db.query<{ status: string; error_reason: string }>(
        "SELECT status, error_reason FROM inbound_messages WHERE id = $1",
        [inactive.inboundMessageId],
      );
      expect(stored.rows[0]).toEqual({ status: "rejected", error_reason: "inactive user" });
    } finally {
      await operator.query(
        "UPDATE users SET active = true WHERE id = (SELECT user_id FROM contacts WHERE address = '6281100000006')",
      );
    }
    // Moved from Bungku Tengah to Bumi Raya: Bente is no longer the paravet's to report on.
    await operator.query(
      `UPDATE user_areas SET location_id = (SELECT id FROM locations WHERE code = '720603')
       WHERE user_id = (SELECT user_id FROM contacts WHERE address = '6281100000006')
         AND location_id = (SELECT id FROM locations WHERE code = '720602')`,
    );
    const outside = await fx.send("paravet", "U mc sp 4 72060201", later());
    expect(outside.reply?.body).not.toMatch(/ID Kasus/);
    const stored = await fx.db.query<{ error_reason: string }>(
      "SELECT error_reason FROM inbound_messages WHERE id = $1",
      [outside.inboundMessageId],
    );
    expect(stored.rows[0]?.error_reason).toBe("location 72060201 outside area");
    expect(await replyTo("paravet", "U mc sp 4 72060301")).toMatch(/ID Kasus \d+/);
  });
});
