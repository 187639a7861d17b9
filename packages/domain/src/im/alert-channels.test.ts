// Every alert the engine queues takes the channel the deployment chose: by IM to officers
// with a linked chat account when IM alerts are on, by SMS when off; never both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../reference/demo.js";
import { caseIdOf, createEngineFixture, type EngineFixture } from "../testing/engine.js";

let fx: EngineFixture;

beforeAll(async () => {
  fx = await createEngineFixture();
});
afterAll(async () => {
  await fx.close();
});

async function imAlerts(on: boolean) {
  await fx.db.query(
    "UPDATE deployment_settings SET value = to_jsonb($1::boolean) WHERE key = 'alerts.im_when_linked'",
    [on],
  );
}

const where = (alerts: readonly { channel: string; address: string }[]) =>
  alerts.map((alert) => `${alert.channel}:${alert.address}`);

describe("alert channels", () => {
  it("sends the outcome copy, the lab's notice and a question by IM to linked officers when on, by SMS when off", async () => {
    for (const on of [true, false]) {
      await imAlerts(on);
      // Different counts each round: the same text again would be a duplicate.
      const created = await fx.send("paravet", `U mc sp ${on ? 3 : 4} 72060202`);
      const caseId = caseIdOf(created.reply?.body);
      // The paravet's supervisor, the district vet, gets PK's copy.
      const outcome = await fx.send("paravet", `PK ${caseId} SB`);
      const lab = await fx.send("paravet", `LAB ${caseId} FES SG PAR 2 730801`);
      const question = await fx.send("village_reporter", `Q kapan vaksinasi rabies ${on ? "SE" : "AI"}?`);
      const vet = DEMO_USERS.district_vet;
      const staff = DEMO_USERS.lab_staff;
      const coordinators = [DEMO_USERS.district_coordinator, DEMO_USERS.provincial_coordinator];
      if (on) {
        expect(where(outcome.alerts)).toEqual([`im:${vet.imId}`]);
        expect(where(lab.alerts)).toEqual([`im:${staff.imId}`]);
        expect(where(question.alerts).sort()).toEqual(coordinators.map((user) => `im:${user.imId}`).sort());
      } else {
        expect(where(outcome.alerts)).toEqual([`sms:${vet.phone}`]);
        expect(where(lab.alerts)).toEqual([`sms:${staff.phone}`]);
        expect(where(question.alerts).sort()).toEqual(coordinators.map((user) => `sms:${user.phone}`).sort());
      }
      // The case alerts of U take the same road.
      expect(new Set(created.alerts.map((alert) => alert.channel))).toEqual(new Set([on ? "im" : "sms"]));
    }
  });

  it("keeps SMS for an officer whose chat account is not verified", async () => {
    await imAlerts(true);
    const staff = DEMO_USERS.lab_staff;
    await fx.db.query("UPDATE contacts SET verified = false WHERE channel = 'im' AND address = $1", [
      staff.imId,
    ]);
    try {
      const created = await fx.send("paravet", "U mc sp 2 72060202");
      const lab = await fx.send("paravet", `LAB ${caseIdOf(created.reply?.body)} FES SG PAR 1 730801`);
      expect(where(lab.alerts)).toEqual([`sms:${staff.phone}`]);
    } finally {
      await fx.db.query("UPDATE contacts SET verified = true WHERE channel = 'im' AND address = $1", [
        staff.imId,
      ]);
      await imAlerts(false);
    }
  });
});
