// The training Sidecar on a real cluster with wal_level=logical, run from an installed
// server whose pg_dump and pg_restore match it (the embedded server ships neither).
import { prepareDatabase } from "@isikhnas/devstack";
import {
  findSystemPostgresBinDir,
  type SystemPostgres,
  startSystemPostgres,
  waitFor,
} from "@isikhnas/devstack/testing";
import { CommanderError } from "commander";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "../program.js";
import { refreshTraining } from "./refresh.js";
import { TRAINING_IDENTITY_START, withClient, withDatabase } from "./replication.js";
import { trainingStatus } from "./status.js";

const binDir = findSystemPostgresBinDir();

describe.skipIf(!binDir)(
  `training Sidecar${binDir ? "" : " (skipped: no PostgreSQL server binaries; apt-get install postgresql-15)"}`,
  () => {
    let server: SystemPostgres;
    let liveUrl: string;
    let trainingUrl: string;
    let live: pg.Pool;
    let training: pg.Pool;

    const refresh = (extra: Partial<Parameters<typeof refreshTraining>[0]> = {}) =>
      refreshTraining({ liveUrl, trainingUrl, binDir, jobs: 2, ...extra });

    async function one<T>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<T | undefined> {
      return (await pool.query(text, values)).rows[0] as T | undefined;
    }

    async function newUser(pool: pg.Pool, name: string): Promise<number> {
      const row = await one<{ id: string }>(
        pool,
        `INSERT INTO users (name, user_type, home_location_id)
         SELECT $1, 'village_reporter', id FROM locations WHERE code = '72010101' RETURNING id`,
        [name],
      );
      return Number(row?.id);
    }

    const userInTraining = (name: string) =>
      waitFor(
        async () => (await one(training, "SELECT 1 FROM users WHERE name = $1", [name])) !== undefined,
        {
          description: `${name} in training`,
          timeoutMs: 15_000,
        },
      );

    async function cli(...args: string[]) {
      const lines: string[] = [];
      const env = { DATABASE_URL: liveUrl, TRAINING_DATABASE_URL: trainingUrl, PG_BIN_DIR: binDir };
      const program = createProgram({ env, out: (line) => lines.push(line) });
      try {
        await program.parseAsync(["node", "isikhnas", ...args]);
        return { output: lines.join("\n"), exitCode: 0 };
      } catch (error) {
        if (!(error instanceof CommanderError)) throw error;
        return { output: lines.join("\n"), exitCode: error.exitCode };
      }
    }

    beforeAll(async () => {
      server = await startSystemPostgres(binDir as string, {
        wal_level: "logical",
        max_replication_slots: "10",
        max_wal_senders: "10",
      });
      await withClient(server.adminUrl, async (admin) => {
        await admin.query("CREATE DATABASE isikhnas_live");
        await admin.query("CREATE DATABASE isikhnas_training");
      });
      liveUrl = withDatabase(server.adminUrl, "isikhnas_live");
      trainingUrl = withDatabase(server.adminUrl, "isikhnas_training");
      await prepareDatabase(liveUrl);
      await prepareDatabase(trainingUrl);
      live = new pg.Pool({ connectionString: liveUrl, max: 2 });
      training = new pg.Pool({ connectionString: trainingUrl, max: 2 });
      // A pool's idle connections are ended by the swap; the next query reconnects.
      training.on("error", () => {});
    });

    afterAll(async () => {
      await live?.end();
      await training?.end();
      await server?.stop();
    });

    it("a refresh rebuilds training from live, checks it and subscribes it", async () => {
      await newUser(training, "practice before the first refresh");
      const result = await refresh();
      expect(result.previous).toBe("isikhnas_training_prev");
      expect(result.tables).toBeGreaterThan(20);
      const counts = async (pool: pg.Pool) =>
        (await pool.query("SELECT count(*)::int AS n FROM users UNION ALL SELECT count(*)::int FROM cases"))
          .rows;
      expect(await counts(training)).toEqual(await counts(live));
      expect(
        await one(training, "SELECT 1 FROM users WHERE name = 'practice before the first refresh'"),
      ).toBeUndefined();
      await waitFor(async () => (await trainingStatus({ liveUrl, trainingUrl })).problems.length === 0, {
        description: "the subscription to stream",
      });
      const status = await trainingStatus({ liveUrl, trainingUrl });
      expect(status.lastRefresh?.slot).toBe(status.slot?.name);
      expect(status.subscription?.enabled).toBe(true);
    });

    it("a user created and then deactivated on live is seen in training within seconds", async () => {
      const id = await newUser(live, "Ibu Sari (live)");
      await userInTraining("Ibu Sari (live)");
      await live.query("UPDATE users SET active = false WHERE id = $1", [id]);
      await waitFor(
        async () =>
          (await one<{ active: boolean }>(training, "SELECT active FROM users WHERE id = $1", [id]))
            ?.active === false,
        { description: "the deactivation in training", timeoutMs: 15_000 },
      );
    });

    it("a location renamed on live moves training's reference version, so its daemons reload", async () => {
      const version = async () =>
        Number((await one<{ v: string }>(training, "SELECT version::text AS v FROM reference_version"))?.v);
      const before = await version();
      await live.query("UPDATE locations SET name = 'Lemo Baru' WHERE code = '72010101'");
      await waitFor(
        async () =>
          (await one<{ name: string }>(training, "SELECT name FROM locations WHERE code = '72010101'"))
            ?.name === "Lemo Baru",
        { description: "the new name in training", timeoutMs: 15_000 },
      );
      expect(await version()).toBeGreaterThan(before);
    });

    it("a refresh leaves training's reference version above the copy it replaces", async () => {
      const version = async () =>
        Number((await one<{ v: string }>(training, "SELECT version::text AS v FROM reference_version"))?.v);
      await training.query("UPDATE reference_version SET version = version + 1000");
      const before = await version();
      await refresh();
      expect(await version()).toBeGreaterThan(before);
    });

    it("a trainee's row and a live row made next both survive, and practice never reaches live", async () => {
      const practiceId = await newUser(training, "practice reporter");
      expect(practiceId).toBeGreaterThanOrEqual(TRAINING_IDENTITY_START);
      const practiceCase = await one<{ id: string }>(
        training,
        `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at)
         SELECT 'U', $1, home_location_id, (SELECT code FROM codes WHERE list_code = 'SP' LIMIT 1), 3, now()
           FROM users WHERE id = $1 RETURNING id`,
        [practiceId],
      );
      const liveId = await newUser(live, "registered on live after the practice");
      expect(liveId).toBeLessThan(TRAINING_IDENTITY_START);
      await userInTraining("registered on live after the practice");
      expect(await one(training, "SELECT 1 FROM users WHERE id = $1", [practiceId])).toBeDefined();
      expect(
        await one(live, "SELECT 1 FROM users WHERE id = $1 OR name = 'practice reporter'", [practiceId]),
      ).toBeUndefined();
      expect(await one(live, "SELECT 1 FROM cases WHERE id = $1", [practiceCase?.id])).toBeUndefined();
      expect((await trainingStatus({ liveUrl, trainingUrl })).problems).toEqual([]);
    });

    it("a conflict that stops the copy is reported, and the copy resumes once it is cleared", async () => {
      const trainee = await newUser(training, "trainee with a borrowed phone");
      await training.query(
        "INSERT INTO contacts (user_id, channel, address) VALUES ($1, 'sms', '6281299990001')",
        [trainee],
      );
      const owner = await newUser(live, "the phone's real owner");
      await live.query(
        "INSERT INTO contacts (user_id, channel, address) VALUES ($1, 'sms', '6281299990001')",
        [owner],
      );
      await waitFor(
        async () => (await trainingStatus({ liveUrl, trainingUrl })).subscription?.enabled === false,
        {
          description: "the subscription to stop on the conflict",
          timeoutMs: 15_000,
        },
      );
      const status = await trainingStatus({ liveUrl, trainingUrl });
      expect(status.problems.join("\n")).toMatch(/disabled after \d+ apply error/);
      const reported = await cli("training", "status");
      expect(reported.exitCode).toBe(1);
      expect(reported.output).toMatch(/subscription +sidecar_isikhnas_training DISABLED/);
      expect(reported.output).toMatch(/error: subscription sidecar_isikhnas_training is disabled/);

      await training.query("DELETE FROM contacts WHERE address = '6281299990001'");
      await training.query(`ALTER SUBSCRIPTION ${status.subscription?.name} ENABLE`);
      await waitFor(
        async () =>
          (await one(training, "SELECT 1 FROM contacts WHERE address = '6281299990001' AND user_id = $1", [
            owner,
          ])) !== undefined,
        { description: "the live contact in training", timeoutMs: 15_000 },
      );
    });

    it("users created on live during a refresh arrive once each, none lost", async () => {
      let writing = true;
      const written: string[] = [];
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          const name = `registered during the refresh ${i}`;
          await newUser(live, name);
          written.push(name);
        }
      })();
      await refresh();
      writing = false;
      await writer;
      const last = written.at(-1) as string;
      await userInTraining(last);
      const seen = await training.query<{ name: string; n: number }>(
        "SELECT name, count(*)::int AS n FROM users WHERE name LIKE 'registered during the refresh %' GROUP BY name",
      );
      expect(written.length).toBeGreaterThan(0);
      expect(seen.rows.map((row) => row.name).sort()).toEqual([...written].sort());
      expect(seen.rows.every((row) => row.n === 1)).toBe(true);
    });

    it("a refresh interrupted midway leaves the old training database in service", async () => {
      const before = await trainingStatus({ liveUrl, trainingUrl });
      await newUser(training, "practice kept through a failed refresh");
      const admin = new pg.Client(server.adminUrl);
      await admin.connect();
      const abort = new AbortController();
      const running = refresh({ signal: abort.signal });
      // Interrupted while the new copy is being restored.
      await waitFor(
        async () =>
          ((await admin.query("SELECT 1 FROM pg_database WHERE datname = 'isikhnas_training_next'"))
            .rowCount ?? 0) > 0,
        { description: "the restore to start", intervalMs: 5 },
      );
      abort.abort();
      await expect(running).rejects.toThrow();
      await admin.end();

      expect(
        await one(training, "SELECT 1 FROM users WHERE name = 'practice kept through a failed refresh'"),
      ).toBeDefined();
      const after = await trainingStatus({ liveUrl, trainingUrl });
      expect(after.lastRefresh).toEqual(before.lastRefresh);
      await newUser(live, "registered after the failed refresh");
      await userInTraining("registered after the failed refresh");
      const slots = await live.query("SELECT slot_name FROM pg_replication_slots");
      expect(slots.rows.map((row) => row.slot_name)).toEqual([after.slot?.name]);
    });

    it("a swap that cannot happen leaves the old training database in service, still subscribed", async () => {
      const before = await trainingStatus({ liveUrl, trainingUrl });
      const admin = new pg.Client(server.adminUrl);
      await admin.connect();
      const running = refresh();
      // A session on the new copy that nobody ends: renaming it fails.
      await waitFor(
        async () =>
          ((await admin.query("SELECT 1 FROM pg_database WHERE datname = 'isikhnas_training_next'"))
            .rowCount ?? 0) > 0,
        { description: "the new copy", intervalMs: 5 },
      );
      const blocker = new pg.Client(withDatabase(server.adminUrl, "isikhnas_training_next"));
      blocker.on("error", () => {});
      await blocker.connect();
      await expect(running).rejects.toThrow(/being accessed by other users/);
      await blocker.end().catch(() => {});
      await admin.end();

      const after = await trainingStatus({ liveUrl, trainingUrl });
      expect(after.lastRefresh).toEqual(before.lastRefresh);
      expect(after.subscription?.slot).toBe(before.subscription?.slot);
      await newUser(live, "registered after the failed swap");
      await userInTraining("registered after the failed swap");
      await waitFor(async () => (await trainingStatus({ liveUrl, trainingUrl })).problems.length === 0, {
        description: "the old subscription to stream again",
      });
    });

    it("reports a slot a killed refresh left on live, and the next refresh drops it", async () => {
      await live.query(
        "SELECT pg_create_logical_replication_slot('sidecar_isikhnas_training_left', 'pgoutput')",
      );
      const status = await trainingStatus({ liveUrl, trainingUrl });
      expect(status.problems).toEqual([
        expect.stringMatching(
          /^slot sidecar_isikhnas_training_left on live belongs to no subscription and holds \d+ bytes/,
        ),
      ]);
      await refresh();
      const slots = await live.query<{ slot_name: string }>("SELECT slot_name FROM pg_replication_slots");
      expect(slots.rows.map((row) => row.slot_name)).not.toContain("sidecar_isikhnas_training_left");
    });

    it("isikhnas training refresh and status run the same from the command line", async () => {
      const refreshed = await cli("training", "refresh");
      expect(refreshed.output).toMatch(/training refreshed: \d+ rows in \d+ tables/);
      expect(refreshed.output).toContain("kept as isikhnas_training_prev");
      await waitFor(async () => (await cli("training", "status")).exitCode === 0, {
        description: "the new subscription to stream",
      });
      expect((await cli("training", "status")).output).toMatch(
        /slot on live +sidecar_isikhnas_training_\d+ active/,
      );
    });
  },
);
