import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@isikhnas/platform";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../postgres.js";
import { LOCAL_CANARY_PHONE } from "./environment.js";
import { localLayout } from "./layout.js";
import { startLocalStack } from "./stack.js";

async function count(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(sql);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

describe("the local stack behind npm start", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "isikhnas-local-"));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts seeded databases, queues and spools, and keeps the data across a restart", async () => {
    const layout = localLayout({
      LOCAL_DATA_DIR: dataDir,
      LOCAL_PG_PORT: String(await freePort()),
      LOCAL_AWS_PORT: "0",
      LOCAL_SES_PORT: "0",
      // Two ports in a row (live, training), away from a developer's running `npm start`.
      LOCAL_TELEGRAM_PORT: String(await freePort()),
    });
    const lines: string[] = [];
    let usersBefore = 0;
    const first = await startLocalStack(layout, (line) => lines.push(line));
    try {
      expect(lines).toContain("local stack ready");
      usersBefore = await count(first.databaseUrls.live, "SELECT count(*) AS n FROM users");
      expect(usersBefore).toBeGreaterThan(0);
      expect(await count(first.databaseUrls.training, "SELECT count(*) AS n FROM users")).toBeGreaterThan(0);
      const sqs = createSqsClient({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: first.awsEndpoint });
      const queues = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: layout.prefix }));
      sqs.destroy();
      const names = (queues.QueueUrls ?? []).map((url) => url.split("/").pop());
      expect(names).toEqual(
        expect.arrayContaining(["local-emailinput", "local-emailinput-dlq", "local-mailinbound"]),
      );
      expect(existsSync(join(first.spoolDirs.live, "incoming"))).toBe(true);
      expect(existsSync(join(first.spoolDirs.training, "outgoing"))).toBe(true);
      // Without real tokens each environment's bot is a local fake Bot API.
      for (const bot of [first.telegram.live, first.telegram.training]) {
        expect(bot.fake).toBe(true);
        const me = (await (await fetch(`${bot.apiRoot}/bot${bot.token}/getMe`)).json()) as { ok: boolean };
        expect(me.ok).toBe(true);
      }
      // The monitor's canary is a viewer of its own in live only, and its outbox is ready.
      const canary = `SELECT count(*) AS n FROM contacts c JOIN users u ON u.id = c.user_id
        WHERE c.channel = 'sms' AND c.address = '${LOCAL_CANARY_PHONE}' AND u.user_type = 'viewer'`;
      expect(await count(first.databaseUrls.live, canary)).toBe(1);
      expect(await count(first.databaseUrls.training, canary)).toBe(0);
      expect(existsSync(join(layout.monitorDir, "outbox"))).toBe(true);
      await count(first.databaseUrls.live, "CREATE TABLE kept_across_restart (id int)");
    } finally {
      await first.stop();
    }

    const second = await startLocalStack(layout, () => {});
    try {
      expect(await count(second.databaseUrls.live, "SELECT count(*) AS n FROM kept_across_restart")).toBe(0);
      // Seeding again is a no-op: the same users as before, no duplicates.
      expect(await count(second.databaseUrls.live, "SELECT count(*) AS n FROM users")).toBe(usersBefore);
    } finally {
      await second.stop();
    }
  });
});
