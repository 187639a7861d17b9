import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS, type DemoUserType } from "../reference/demo.js";
import { createEngineFixture, type EngineFixture } from "../testing/engine.js";

let fx: EngineFixture;

beforeAll(async () => {
  fx = await createEngineFixture();
});
afterAll(async () => {
  await fx.close();
});

// Words that steer random text into every corner of the grammar: codes, numbers of every
// length, separators people type, and characters PostgreSQL or GSM-7 find awkward.
const word = fc.oneof(
  fc.constantFrom("U", "P", "PK", "LAB", "VAK", "RP", "POP", "H", "LAPD", "KODE", "CKL", "?", "u", "pk"),
  fc.constantFrom(
    "MC,DM",
    "mc, dm",
    "mc,dm,",
    "sp,",
    "SP",
    "AY",
    "KB",
    "SB",
    "MT",
    "FES",
    "SG",
    "PAR",
    "COC,SAL",
    "AI",
    "RPH7206",
  ),
  fc.constantFrom(
    "72060202",
    "7206",
    "73080101",
    "730801",
    "101",
    "0",
    "99999999999999",
    "1000",
    "-4",
    "4.5",
  ),
  fc.constantFrom(",", ".", "\n", "  ", "\u0000", "'", "%", "_", "\\", "é", "🐄"),
  fc.string({ maxLength: 12 }),
  fc.nat({ max: 200_000 }).map(String),
);
const text = fc.oneof(
  fc.array(word, { maxLength: 10 }).map((words) => words.join(" ")),
  fc.string({ unit: "binary", maxLength: 300 }),
);
const senders = Object.keys(DEMO_USERS) as DemoUserType[];

describe("handleInboundMessage on any text", () => {
  it("never throws and queues exactly one reply for a registered sender", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...senders), text, async (sender, body) => {
        const result = await fx.send(sender, body);
        expect(result.reply).not.toBeNull();
        expect(result.reply?.body.startsWith("[iSIKHNAS] ")).toBe(true);
        const replies = await fx.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM outbound_messages WHERE inbound_message_id = $1 AND kind = 'reply'",
          [result.inboundMessageId],
        );
        expect(replies.rows[0]?.n).toBe(1);
      }),
      { numRuns: 200 },
    );
  });
});
