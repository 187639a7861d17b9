// The short chaos run of `npm test`: 1,000 items (SMS, e-mail, IM) through every daemon as a real process
// while daemons are SIGKILLed every ~2 s, PostgreSQL restarts once and the SQS/S3
// emulator stalls once; nothing may be lost or happen twice.
import { describe, expect, it } from "vitest";
import { buildPlan } from "./load.js";
import { formatReport } from "./report.js";
import { DAEMONS, runChaos } from "./run.js";

const SEED = 20261207;

describe("the chaos plan", () => {
  const options = { items: 1_000, rate: 50, daemons: DAEMONS, killEveryMs: 2_000, killTailMs: 10_000 };

  it("is the same for the same seed and another for another seed", () => {
    const plan = buildPlan({ ...options, seed: SEED });
    expect(buildPlan({ ...options, seed: SEED })).toEqual(plan);
    expect(buildPlan({ ...options, seed: SEED + 1 }).items).not.toEqual(plan.items);
  });

  it("mixes every kind of item and disrupts every daemon", () => {
    const plan = buildPlan({ ...options, seed: SEED });
    const categories = new Set(plan.items.map((item) => item.category));
    expect([...categories].sort()).toEqual(
      [
        "format-error",
        "im-query",
        "im-repeat",
        "im-report",
        "invalid-workbook",
        "multipart",
        "priority",
        "query",
        "report",
        "repeat",
        "unknown-sender",
        "valid-workbook",
      ].sort(),
    );
    const killed = new Set(
      plan.disruptions.flatMap((event) => (event.kind === "kill" ? [event.daemon] : [])),
    );
    expect([...killed].sort()).toEqual([...DAEMONS].sort());
    expect(plan.disruptions.filter((event) => event.kind === "restart-postgres")).toHaveLength(1);
    expect(plan.disruptions.filter((event) => event.kind === "stall-emulator")).toHaveLength(1);
  });
});

describe("the chaos run", () => {
  it("loses nothing and does nothing twice under kills, a PostgreSQL restart and a stalled emulator", async () => {
    const lines: string[] = [];
    const result = await runChaos({
      items: 1_000,
      seed: SEED,
      rate: 50,
      killTailMs: 5_000,
      // Alone it settles in about two minutes; beside the whole suite on two busy cores,
      // the backlog takes longer to work off.
      maxMs: 240_000,
      log: (line) => lines.push(line),
    });
    // The timeline and the table in the test output say what broke, should anything.
    console.log([...lines, formatReport(result)].join("\n"));
    const { verdict } = result;
    expect(verdict.settled).toBe(true);
    expect(result.disruptions).toMatchObject({ postgresRestarts: 1, emulatorStalls: 1 });
    // About a dozen are planned; on a busy machine more fall on a daemon still starting and are spared.
    expect(result.disruptions.kills).toBeGreaterThanOrEqual(3);
    expect(verdict.itemsIn).toBe(1_000);
    expect(verdict.recordsStored).toBe(verdict.recordsExpected);
    expect(verdict.repliesSent).toBeGreaterThanOrEqual(verdict.repliesExpected - verdict.inDoubt);
    expect({
      lost: verdict.lost,
      duplicateRecords: verdict.duplicateRecords,
      duplicateReplies: verdict.duplicateReplies,
      duplicateAlerts: verdict.duplicateAlerts,
    }).toEqual({ lost: 0, duplicateRecords: 0, duplicateReplies: 0, duplicateAlerts: 0 });
    // A kill of email-sender in the middle of an SES call leaves that answer in doubt (never
    // resent). The 0.1 % bound is for `npm run chaos` at 10,000 items; over the ~60 mails of
    // this short run one or two such kills alone exceed it, so here each answer in doubt
    // must be owed to a kill.
    expect(verdict.inDoubt).toBeLessThanOrEqual(result.disruptions.kills);
  }, 260_000);
});
