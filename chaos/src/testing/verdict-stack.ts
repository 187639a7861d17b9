// What the verdict tests share: a seeded test stack with the chaos load's senders, a spool,
// the verdict over a few items, and a wait for their replies to be sent.
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { tempSpool } from "../../../apps/sms-gateway/src/testing/spool.js";
import { buildPlan, type Item, type Plan } from "../load.js";
import { DAEMONS } from "../run.js";
import { addSenders } from "../stack.js";
import { judge, type Verdict } from "../verdict.js";

/** The load plan of seed 1 with no items: its registered senders, for hand-made items. */
export function verdictPlan(): Plan {
  return buildPlan({ seed: 1, items: 0, rate: 1, daemons: DAEMONS, killEveryMs: 2_000, killTailMs: 0 });
}

export interface VerdictStack {
  stack: TestStack;
  db: Database;
  spool: Awaited<ReturnType<typeof tempSpool>>;
  /** The verdict over `items`, settled, with the IM side when given. */
  verdict(items: readonly Item[], im?: Parameters<typeof judge>[0]["im"]): Promise<Verdict>;
  /** Waits until `count` outbound rows matching `where` are sent. */
  waitForSent(where: string, count: number, description: string): Promise<void>;
  close(): Promise<void>;
}

export async function verdictStack(plan: Plan): Promise<VerdictStack> {
  const stack = await createTestStack();
  await stack.provision();
  const db = stack.openDatabase();
  await seedReferenceData(db);
  await seedDemoData(db);
  await addSenders(stack.databaseUrl, plan);
  const spool = await tempSpool();
  return {
    stack,
    db,
    spool,
    verdict: (items, im) =>
      judge({
        items,
        db,
        sqs: stack.sqs,
        prefix: stack.prefix,
        spoolDir: spool.root,
        sesEndpoint: stack.mailbox.sesEndpoint,
        ...(im ? { im } : {}),
        settled: true,
      }),
    waitForSent: (where, count, description) =>
      waitFor(
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM outbound_messages WHERE ${where} AND status = 'sent'`,
          );
          return rows[0]?.n === count;
        },
        { timeoutMs: 30_000, description },
      ).then(() => undefined),
    async close() {
      await stack.close();
      await spool.remove();
    },
  };
}
