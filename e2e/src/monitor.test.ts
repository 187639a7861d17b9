// The monitor as a real process watching a real sms-gateway process: the canary's KODE
// query answered through the spool, then the gateway stopped (one text to the
// administrator) and started again (one recovery text).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureCanaryUser, freePort } from "@isikhnas/devstack";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopProcess } from "./process.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const CANARY = "6289900000007";
const ADMIN = "6281200000009";

interface StatusCheck {
  name: string;
  ok: boolean;
  consecutiveFailures: number;
  detail: string;
}

describe("the monitor against a running sms-gateway", () => {
  let stack: TestStack;
  let db: Database;
  let dir: string;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    stack = await createTestStack();
    db = stack.openDatabase();
    await seedReferenceData(db);
    await seedDemoData(db);
    await ensureCanaryUser(db, CANARY);
    dir = await mkdtemp(join(tmpdir(), "monitor-e2e-"));
    for (const folder of ["incoming", "outgoing", "checked", "sent", "failed", "quarantine"])
      await mkdir(join(dir, "spool", folder), { recursive: true });
    await mkdir(join(dir, "outbox"));
  });

  afterAll(async () => {
    for (const child of children) await stopProcess(child);
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  });

  function startApp(app: string, env: Record<string, string>): ChildProcess {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", `${repoRoot}apps/${app}/src/main.ts`],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...stack.env, ...env },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    children.add(child);
    child.once("exit", () => children.delete(child));
    return child;
  }

  async function texts(): Promise<string[]> {
    const outbox = join(dir, "outbox");
    const names = (await readdir(outbox)).filter((name) => !name.startsWith(".")).sort();
    return Promise.all(names.map((name) => readFile(join(outbox, name), "utf8")));
  }

  it("sees the canary answered, texts once when the gateway stops and once when it is back", async () => {
    const gatewayPort = await freePort();
    const monitorPort = await freePort();
    const gatewayEnv = {
      SMS_SPOOL_DIR: join(dir, "spool"),
      HTTP_PORT: String(gatewayPort),
      SMS_SETTLE_MS: "0",
    };
    let gateway = startApp("sms-gateway", gatewayEnv);
    startApp("monitor", {
      HTTP_PORT: String(monitorPort),
      MONITOR_INTERVAL_MS: "200",
      MONITOR_FAILURES_TO_OPEN: "3",
      MONITOR_STORE_PATH: join(dir, "monitor.sqlite"),
      MONITOR_READYZ_URLS: `sms-gateway=http://127.0.0.1:${gatewayPort}/readyz`,
      MONITOR_QUEUES: "none",
      MONITOR_DATABASE_URL: stack.databaseUrl,
      MONITOR_CANARY_SPOOL_DIR: join(dir, "spool"),
      MONITOR_CANARY_PHONE: CANARY,
      MONITOR_CANARY_EVERY_SECONDS: "3600",
      MONITOR_CANARY_DEADLINE_SECONDS: "120",
      MONITOR_NOTIFY: "spool",
      MONITOR_NOTIFY_SPOOL_DIR: join(dir, "outbox"),
      MONITOR_ADMIN_PHONES: ADMIN,
    });
    const checks = async () => {
      const response = await fetch(`http://127.0.0.1:${monitorPort}/status`);
      const body = (await response.json()) as { checks: StatusCheck[] };
      return new Map(body.checks.map((check) => [check.name, check]));
    };

    // The gateway may still be starting for the first rounds: wait until every check passes.
    const healthy = await waitFor(
      async () => {
        const current = await checks();
        return (
          [...current.values()].every((check) => check.ok) &&
          current.get("canary")?.detail.startsWith("last reply") &&
          current
        );
      },
      { timeoutMs: 60_000, description: "the canary answered and every check passing" },
    );
    expect(healthy.get("postgres")?.detail).toBe("SELECT 1 answered");
    // The canary asked KODE PK: a query, stored as the canary's own message, no report.
    const { rows } = await db.query<{ text: string; status: string }>(
      "SELECT text, status FROM inbound_messages WHERE sender = $1",
      [CANARY],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toBe("KODE PK");
    expect(await db.query("SELECT 1 FROM cases")).toMatchObject({ rows: [] });
    expect(await texts()).toEqual([]);

    await stopProcess(gateway);
    const down = await waitFor(
      async () => {
        const written = await texts();
        return written.length === 1 && written[0];
      },
      { timeoutMs: 30_000 },
    );
    expect(down).toMatch(
      new RegExp(`^To: ${ADMIN}\n\n\\[iSIKHNAS MONITOR\\] DOWN: readyz:sms-gateway #\\d+ \\(`),
    );
    await waitFor(async () => ((await checks()).get("readyz:sms-gateway")?.consecutiveFailures ?? 0) >= 10, {
      timeoutMs: 30_000,
    });
    expect(await texts()).toHaveLength(1);

    gateway = startApp("sms-gateway", gatewayEnv);
    const recovered = await waitFor(
      async () => {
        const written = await texts();
        return written.length === 2 && written[1];
      },
      { timeoutMs: 60_000 },
    );
    expect(recovered).toMatch(/\[iSIKHNAS MONITOR\] RECOVERED: readyz:sms-gateway #\d+ after \d+ min$/);
  });
});
