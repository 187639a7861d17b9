// The training gateway keeps working through a training refresh: the swap ends its
// database sessions and refuses new ones for a moment; every SMS that arrives meanwhile is
// handled once, with one reply, in the new training database.
import { readdir } from "node:fs/promises";
import { prepareDatabase } from "@isikhnas/devstack";
import {
  createTestStack,
  findSystemPostgresBinDir,
  type SystemPostgres,
  startSystemPostgres,
  type TestStack,
  waitFor,
} from "@isikhnas/devstack/testing";
import { DEMO_USERS } from "@isikhnas/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshTraining } from "../../apps/ops-cli/src/training/refresh.js";
import { withClient, withDatabase } from "../../apps/ops-cli/src/training/replication.js";
import { dropIncoming, gateway } from "../../apps/sms-gateway/src/testing/gateway.js";
import { tempSpool } from "../../apps/sms-gateway/src/testing/spool.js";

const binDir = findSystemPostgresBinDir();

describe.skipIf(!binDir)(
  `a training refresh under the training gateway${binDir ? "" : " (skipped: no PostgreSQL server binaries; apt-get install postgresql-15)"}`,
  () => {
    let server: SystemPostgres;
    let stack: TestStack;
    let liveUrl: string;
    let trainingUrl: string;

    beforeAll(async () => {
      server = await startSystemPostgres(binDir as string, { wal_level: "logical" });
      await withClient(server.adminUrl, async (admin) => {
        await admin.query("CREATE DATABASE isikhnas_live");
        await admin.query("CREATE DATABASE isikhnas_training");
      });
      liveUrl = withDatabase(server.adminUrl, "isikhnas_live");
      trainingUrl = withDatabase(server.adminUrl, "isikhnas_training");
      await prepareDatabase(liveUrl);
      await prepareDatabase(trainingUrl);
      stack = await createTestStack({ database: false });
    });

    afterAll(async () => {
      await stack?.close();
      await server?.stop();
    });

    it("loses no SMS that arrives while training is swapped", { timeout: 120_000 }, async ({
      onTestFinished,
    }) => {
      const spool = await tempSpool();
      onTestFinished(() => spool.remove());
      const app = gateway(stack, spool, {
        DATABASE_URL: trainingUrl,
        ISIKHNAS_ENV: "training",
        // As in production: a file left in incoming/ is looked at again.
        SMS_RESCAN_INTERVAL_MS: "200",
      });
      await app.start();
      onTestFinished(() => app.stop());

      let sending = true;
      let sent = 0;
      const sender = (async () => {
        while (sending) {
          await dropIncoming(spool, `GSM1.t${String(sent).padStart(5, "0")}`, {
            from: DEMO_USERS.village_reporter.phone,
            text: `U mc,dm sp ${(sent % 50) + 1}`,
          });
          sent += 1;
          // A steady trickle rather than a flood: at most a few files wait at any time.
          await waitFor(async () => (await readdir(spool.incoming)).length < 5, {
            description: "the gateway to keep up",
            timeoutMs: 30_000,
            intervalMs: 5,
          });
        }
      })();
      await refreshTraining({ liveUrl, trainingUrl, binDir, jobs: 2 });
      sending = false;
      await sender;

      await waitFor(
        async () => (await readdir(spool.incoming)).filter((name) => name.startsWith("GSM1.")).length === 0,
        {
          description: "every incoming file handled",
          timeoutMs: 60_000,
        },
      );
      // A file handled before the swap is in the copy kept as _prev, one after it in the new
      // training database: each in exactly one of them, with its reply.
      await withClient(server.adminUrl, (admin) =>
        admin.query("ALTER DATABASE isikhnas_training_prev ALLOW_CONNECTIONS true"),
      );
      const handled = async (url: string) =>
        withClient(url, async (client) => {
          const result = await client.query<{ external_id: string; replies: number }>(
            `SELECT i.external_id, count(o.id)::int AS replies
               FROM inbound_messages i LEFT JOIN outbound_messages o ON o.inbound_message_id = i.id AND o.kind = 'reply'
              WHERE i.external_id LIKE 'sms-file:GSM1.t%' GROUP BY i.id`,
          );
          return result.rows;
        });
      const before = await handled(withDatabase(server.adminUrl, "isikhnas_training_prev"));
      const after = await handled(trainingUrl);
      const all = [...before, ...after];
      expect(before.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
      expect(new Set(all.map((row) => row.external_id)).size).toBe(sent);
      expect(all).toHaveLength(sent);
      expect(all.every((row) => row.replies === 1)).toBe(true);
      expect((await readdir(spool.quarantine)).filter((name) => name.startsWith("GSM1."))).toEqual([]);
    });
  },
);
