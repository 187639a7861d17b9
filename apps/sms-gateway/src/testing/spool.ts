// Test support: a throw-away spool, the gateway's config pointed at a test stack, and the
// real smsd run over a spool to judge the outgoing files.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@isikhnas/devstack/testing";
import type { Env } from "@isikhnas/platform";
import { type Config, loadConfig } from "../config.js";
import { ensureSpool, isSpoolMessageName, type SpoolLayout, spoolLayout } from "../spool/layout.js";

export async function tempSpool(): Promise<SpoolLayout & { remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "sms-spool-"));
  const layout = spoolLayout(root);
  await ensureSpool(layout);
  return { ...layout, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Gateway settings for tests: no settle delay, no periodic rescans, no rate limit. */
export function testConfig(env: Env, spoolRoot: string, overrides: Env = {}): Config {
  return loadConfig({
    ...env,
    SMS_SPOOL_DIR: spoolRoot,
    SMS_SETTLE_MS: "0",
    SMS_RESCAN_INTERVAL_MS: "0",
    SMS_POLL_INTERVAL_MS: "50",
    SMS_RATE_LIMIT_COUNT: "0",
    SMS_RETRY_BACKOFF_MS: "0",
    HTTP_PORT: "0",
    ...overrides,
  });
}

/** Message files in a folder, as the gateway itself tells them from temporary and lock files. */
export async function messageFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter(isSpoolMessageName).sort();
}

export async function smsdAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("smsd", ["-V"], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("exit", () => resolve(true));
  });
}

export interface SmsdVerdict {
  checked: string[];
  failed: string[];
  log: string;
}

/**
 * Runs smsd over the spool with a modem device that does not exist: its outgoing-file
 * checker still moves every valid file to checked/ and rejects invalid ones to failed/.
 */
export async function judgeWithSmsd(spool: SpoolLayout, expected: number): Promise<SmsdVerdict> {
  const conf = join(spool.root, "smsd.conf");
  const logfile = join(spool.root, "smsd.log");
  const lines = [
    "devices = GSM1",
    `outgoing = ${spool.outgoing}`,
    `checked = ${spool.checked}`,
    `failed = ${spool.failed}`,
    `incoming = ${join(spool.root, "smsd-incoming")}`,
    `sent = ${spool.sent}`,
    `logfile = ${logfile}`,
    `infofile = ${join(spool.root, "smsd.working")}`,
    `pidfile = ${join(spool.root, "smsd.pid")}`,
    "loglevel = 7",
    "delaytime = 1",
    ...(process.getuid?.() === 0 ? ["user = root", "group = root"] : []),
    "",
    "[GSM1]",
    `device = ${join(spool.root, "no-such-modem")}`,
    "incoming = no",
    "",
  ];
  await rm(join(spool.root, "smsd-incoming"), { recursive: true, force: true });
  await mkdir(join(spool.root, "smsd-incoming"));
  await writeFile(conf, lines.join("\n"));
  const child = spawn("smsd", ["-c", conf, "-t"], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitFor(
      async () => {
        const [outgoing, checked, failed] = await Promise.all([
          messageFiles(spool.outgoing),
          messageFiles(spool.checked),
          messageFiles(spool.failed),
        ]);
        return outgoing.length === 0 && checked.length + failed.length >= expected;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: "smsd to check every outgoing file" },
    );
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
  return {
    checked: await messageFiles(spool.checked),
    failed: await messageFiles(spool.failed),
    log: await readFile(logfile, "utf8").catch(() => ""),
  };
}
