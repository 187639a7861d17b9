// Test fixture: a migrated database with reference and demo data, and a way to send
// messages as a demo user.
import { randomUUID } from "node:crypto";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import type { Database } from "@isikhnas/platform";
import { handleInboundMessage } from "../engine/handle.js";
import type { EngineOptions, InboundMessage, InboundResult } from "../engine/types.js";
import { DEMO_USERS, type DemoUserType, seedDemoData } from "../reference/demo.js";
import { seedReferenceData } from "../reference/seed.js";

export interface EngineFixture {
  stack: TestStack;
  db: Database;
  /** Sends `text` as a demo user (by SMS unless told otherwise). */
  send(
    from: DemoUserType | { sender: string },
    text: string,
    overrides?: Partial<InboundMessage>,
    options?: EngineOptions,
  ): Promise<InboundResult>;
  userId(type: DemoUserType): Promise<number>;
  close(): Promise<void>;
}

export const T0 = new Date("2025-06-02T02:00:00Z");

export async function createEngineFixture(): Promise<EngineFixture> {
  const stack = await createTestStack();
  const db = stack.openDatabase({ poolMax: 8 });
  await seedReferenceData(db);
  await seedDemoData(db);
  return {
    stack,
    db,
    send(from, text, overrides = {}, options = {}) {
      const sender = typeof from === "string" ? DEMO_USERS[from].phone : from.sender;
      return handleInboundMessage(
        db,
        {
          channel: "sms",
          sender,
          text,
          receivedAt: T0,
          externalId: randomUUID(),
          environment: "live",
          ...overrides,
        },
        options,
      );
    },
    async userId(type) {
      const result = await db.query<{ user_id: number }>(
        "SELECT user_id FROM contacts WHERE channel = 'sms' AND address = $1",
        [DEMO_USERS[type].phone],
      );
      const id = result.rows[0]?.user_id;
      if (id === undefined) throw new Error(`demo user ${type} missing`);
      return id;
    },
    close: () => stack.close(),
  };
}

export function minutesAfter(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * 60_000);
}

/** The case id a reply names ("[ID Kasus 12]" or "[Case ID 12]"). */
export function caseIdOf(body: string | undefined): number {
  const match = /(?:Case ID|ID Kasus) (\d+)/.exec(body ?? "");
  if (!match?.[1]) throw new Error(`no case id in ${body}`);
  return Number(match[1]);
}
