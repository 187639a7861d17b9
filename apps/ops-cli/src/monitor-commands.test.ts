import { createMetrics, type HealthServer, startHealthServer } from "@isikhnas/platform";
import { CommanderError } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import type { MonitorStatusView } from "./monitor-commands.js";
import { createProgram } from "./program.js";

let server: HealthServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A status page served the way the monitor serves it (the platform's health server and its routes). */
async function monitorAnswering(status: MonitorStatusView): Promise<string> {
  server = await startHealthServer({
    port: 0,
    host: "127.0.0.1",
    registry: createMetrics({ defaultMetrics: false }).registry,
    checks: {},
    routes: { "/status": async () => status },
  });
  return `http://127.0.0.1:${server.port}/status`;
}

async function run(env: Record<string, string>, ...args: string[]) {
  const lines: string[] = [];
  let exitCode = 0;
  try {
    await createProgram({ env, out: (line) => lines.push(line) }).parseAsync(["node", "isikhnas", ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { text: lines.join("\n"), exitCode };
}

const healthy: MonitorStatusView = {
  checks: [
    {
      name: "postgres",
      ok: true,
      lastCheckedAt: "2026-12-07T10:00:00.000Z",
      consecutiveFailures: 0,
      detail: "SELECT 1 answered",
    },
  ],
  incidents: [
    {
      id: 3,
      check: "readyz:sms-gateway",
      openedAt: "2026-12-07T08:00:00.000Z",
      resolvedAt: "2026-12-07T08:20:00.000Z",
      detail: "HTTP 503",
      notifiedAt: "2026-12-07T08:00:01.000Z",
    },
  ],
};

describe("isikhnas monitor status", () => {
  it("prints the checks and the closed incidents, exit 0 when all is well", async () => {
    const url = await monitorAnswering(healthy);
    const { text, exitCode } = await run({ MONITOR_STATUS_URL: url }, "monitor", "status");
    expect(exitCode).toBe(0);
    expect(text).toContain("ok   postgres  2026-12-07T10:00:00.000Z  SELECT 1 answered");
    expect(text).toContain("open incidents: none");
    expect(text).toContain(
      "#3 readyz:sms-gateway 2026-12-07T08:00:00.000Z → 2026-12-07T08:20:00.000Z: HTTP 503",
    );
  });

  it("names failing checks and open incidents and exits 1; --json gives the monitor's answer", async () => {
    const failing: MonitorStatusView = {
      checks: [
        {
          name: "canary",
          ok: false,
          lastCheckedAt: "2026-12-07T10:00:00.000Z",
          consecutiveFailures: 4,
          detail: "no reply",
        },
      ],
      incidents: [
        {
          id: 4,
          check: "canary",
          openedAt: "2026-12-07T09:59:00.000Z",
          resolvedAt: null,
          detail: "no reply",
          notifiedAt: null,
        },
      ],
    };
    const url = await monitorAnswering(failing);
    const { text, exitCode } = await run({ MONITOR_STATUS_URL: url }, "monitor", "status");
    expect(exitCode).toBe(1);
    expect(text).toContain("FAIL canary");
    expect(text).toContain("(4 failure(s) in a row)");
    expect(text).toContain("#4 canary since 2026-12-07T09:59:00.000Z, NOT YET TEXTED: no reply");
    expect(text).toContain("error: 1 check(s) failing, 1 incident(s) open");

    const json = await run({ MONITOR_STATUS_URL: url }, "monitor", "status", "--json");
    expect(JSON.parse(json.text.split("\nerror:")[0] ?? "")).toEqual(failing);
  });

  it("says so when the monitor does not answer", async () => {
    const url = await monitorAnswering(healthy);
    await server?.close();
    server = undefined;
    await expect(run({ MONITOR_STATUS_URL: url }, "monitor", "status")).rejects.toThrow(
      `the monitor at ${url} did not answer`,
    );
  });
});
