// `isikhnas monitor status`: what the off-site monitor sees, read from its /status page
// (MONITOR_STATUS_URL): every check's last verdict and the open and recent incidents.
import { type Env, parseConfig } from "@isikhnas/platform";
import type { Command } from "commander";
import { z } from "zod";
import type { ProgramIo } from "./program.js";

/** The local stack's monitor (`npm start` gives it this port). */
export const DEFAULT_MONITOR_STATUS_URL = "http://127.0.0.1:9490/status";

const timestamp = z.string().nullable();

/** The monitor's /status answer, the contract between the monitor and its readers. */
export const monitorStatusSchema = z.object({
  checks: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      lastCheckedAt: timestamp,
      consecutiveFailures: z.number(),
      detail: z.string(),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.number(),
      check: z.string(),
      openedAt: z.string(),
      resolvedAt: timestamp,
      detail: z.string(),
      notifiedAt: timestamp,
    }),
  ),
});

export type MonitorStatusView = z.output<typeof monitorStatusSchema>;

function loadMonitorConfig(env: Env) {
  return parseConfig(
    z.object({
      MONITOR_STATUS_URL: z.url().default(DEFAULT_MONITOR_STATUS_URL),
      MONITOR_STATUS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    }),
    env,
  );
}

export async function fetchMonitorStatus(env: Env): Promise<MonitorStatusView> {
  const config = loadMonitorConfig(env);
  let response: Response;
  try {
    response = await fetch(config.MONITOR_STATUS_URL, {
      signal: AbortSignal.timeout(config.MONITOR_STATUS_TIMEOUT_MS),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`the monitor at ${config.MONITOR_STATUS_URL} did not answer: ${cause}`);
  }
  if (!response.ok)
    throw new Error(`the monitor at ${config.MONITOR_STATUS_URL} answered HTTP ${response.status}`);
  return monitorStatusSchema.parse(await response.json());
}

export function addMonitorCommands(program: Command, io: ProgramIo): void {
  const monitor = program.command("monitor").description("the off-site monitor's checks and incidents");

  monitor
    .command("status")
    .description(
      "every check's last verdict and the open and last 50 closed incidents (MONITOR_STATUS_URL); exit 1 while a check fails or an incident is open",
    )
    .option("--json", "the monitor's answer as JSON")
    .action(async (options: { json?: boolean }) => {
      const status = await fetchMonitorStatus(io.env);
      if (options.json) {
        io.out(JSON.stringify(status, null, 2));
      } else {
        io.out("checks");
        const width = Math.max(5, ...status.checks.map((check) => check.name.length));
        for (const check of status.checks) {
          const failures = check.consecutiveFailures
            ? ` (${check.consecutiveFailures} failure(s) in a row)`
            : "";
          io.out(
            `  ${check.ok ? "ok  " : "FAIL"} ${check.name.padEnd(width)}  ${check.lastCheckedAt ?? "never"}  ${check.detail}${failures}`,
          );
        }
        const open = status.incidents.filter((incident) => incident.resolvedAt === null);
        const closed = status.incidents.filter((incident) => incident.resolvedAt !== null);
        io.out(open.length ? "open incidents" : "open incidents: none");
        for (const incident of open)
          io.out(
            `  #${incident.id} ${incident.check} since ${incident.openedAt}, ${incident.notifiedAt ? `texted ${incident.notifiedAt}` : "NOT YET TEXTED"}: ${incident.detail}`,
          );
        if (closed.length) io.out("closed incidents");
        for (const incident of closed)
          io.out(
            `  #${incident.id} ${incident.check} ${incident.openedAt} → ${incident.resolvedAt}: ${incident.detail}`,
          );
      }
      const failing = status.checks.filter((check) => !check.ok).length;
      const open = status.incidents.filter((incident) => incident.resolvedAt === null).length;
      if (failing || open) {
        program.error(`error: ${failing} check(s) failing, ${open} incident(s) open`, {
          code: "monitor.problem",
          exitCode: 1,
        });
      }
    });
}
