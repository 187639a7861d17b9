import { randomUUID } from "node:crypto";
import { countRoundTrips } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS, type DemoUserType } from "../reference/demo.js";
import { createEngineFixture, type EngineFixture, minutesAfter, T0 } from "../testing/engine.js";
import { handleInboundMessage } from "./handle.js";

let fx: EngineFixture;
let minute = 0;

beforeAll(async () => {
  fx = await createEngineFixture();
});
afterAll(async () => {
  await fx.close();
});

/** Round trips of one message (BEGIN travels with the first statement, COMMIT with the last), and its reply. */
async function cost(from: DemoUserType, text: string): Promise<{ roundTrips: number; reply: string }> {
  const counter = { count: 0 };
  minute += 20; // outside the duplicate window of the previous message
  const result = await handleInboundMessage(countRoundTrips(fx.db, counter), {
    channel: "sms",
    sender: DEMO_USERS[from].phone,
    text,
    receivedAt: minutesAfter(T0, minute),
    externalId: randomUUID(),
    environment: "live",
  });
  return { roundTrips: counter.count, reply: result.reply?.body ?? "" };
}

describe("round trips per command, reference data cached, statements pipelined", () => {
  it("a U with its alerts costs 3: store and resolve, write the case, queue the reply", async () => {
    await cost("village_reporter", "U mc sp 1");
    const u = await cost("village_reporter", "U mc,dm sp 4");
    expect(u.reply).toMatch(/ID Kasus \d+/);
    expect(u.roundTrips).toBe(3);
  });

  it("a P costs 3, a format error and a KODE 2", async () => {
    await cost("village_reporter", "P ai ay 20");
    const p = await cost("village_reporter", "P ai ay 21");
    expect(p.reply).toMatch(/ID Kasus \d+/);
    expect(p.roundTrips).toBe(3);
    const wrong = await cost("village_reporter", "U mc xx 4");
    expect(wrong.reply).toMatch(/XX/);
    expect(wrong.roundTrips).toBe(2);
    const kode = await cost("village_reporter", "KODE SN");
    expect(kode.reply).toMatch(/AI/);
    expect(kode.roundTrips).toBe(2);
  });

  it("an unregistered number costs 2, its notice rule included", async () => {
    const counter = { count: 0 };
    const result = await handleInboundMessage(countRoundTrips(fx.db, counter), {
      channel: "sms",
      sender: "6281399990001",
      text: "U mc sp 4",
      receivedAt: minutesAfter(T0, 400),
      externalId: randomUUID(),
      environment: "live",
    });
    expect(result.reply?.body).toMatch(/\S/);
    expect(counter.count).toBe(2);
  });

  it("a redelivered message costs its lookup, not a second handling", async () => {
    const counter = { count: 0 };
    const message = {
      channel: "sms" as const,
      sender: DEMO_USERS.village_reporter.phone,
      text: "U bt kb 2",
      receivedAt: minutesAfter(T0, 500),
      externalId: randomUUID(),
      environment: "live" as const,
    };
    const first = await handleInboundMessage(fx.db, message);
    const again = await handleInboundMessage(countRoundTrips(fx.db, counter), message);
    expect(again.duplicate).toBe(true);
    expect(again.reply?.id).toBe(first.reply?.id);
    expect(counter.count).toBe(2);
  });
});
