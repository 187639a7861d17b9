// The real smsd (Debian's smstools) over a gateway's spool and one modem device, run in the
// foreground as a child process, with its message settings those of the sample
// infra/smstools/smsd.conf and its timings cut down so a test waits seconds, not minutes.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SpoolLayout } from "../../../apps/sms-gateway/src/spool/layout.js";

/** The gateway's spool folders smsd itself works in. */
type SmsdFolders = Pick<SpoolLayout, "root" | "incoming" | "outgoing" | "checked" | "sent" | "failed">;

export interface Smsd {
  /** smsd's own log (loglevel 7: every AT command and answer). */
  log(): Promise<string>;
  close(): Promise<void>;
}

export interface SmsdOptions {
  /** smsd's eventhandler: run for every message received, sent or failed. */
  eventHandler?: string;
}

function smsdConf(spool: SmsdFolders, device: string, options: SmsdOptions = {}): string {
  return [
    "devices = GSM1",
    `outgoing = ${spool.outgoing}`,
    `checked = ${spool.checked}`,
    `incoming = ${spool.incoming}`,
    `sent = ${spool.sent}`,
    `failed = ${spool.failed}`,
    `logfile = ${join(spool.root, "smsd.log")}`,
    `infofile = ${join(spool.root, "smsd.working")}`,
    `pidfile = ${join(spool.root, "smsd.pid")}`,
    "loglevel = 7",
    // Look at the spool and the modem every second rather than every ten.
    "delaytime = 1",
    "delaytime_mainprocess = 1",
    "keep_filename = yes",
    "incoming_utf8 = yes",
    "outgoing_utf8 = yes",
    "internal_combine = yes",
    "autosplit = 3",
    "receive_before_send = no",
    ...(options.eventHandler ? [`eventhandler = ${options.eventHandler}`] : []),
    // smsd drops root for its own user unless told to stay root.
    ...(process.getuid?.() === 0 ? ["user = root", "group = root"] : []),
    "",
    "[GSM1]",
    `device = ${device}`,
    "incoming = yes",
    "mode = new",
    "baudrate = 115200",
    // A pseudo-terminal has no RTS/CTS lines to wait on.
    "rtscts = no",
    "report = no",
    "",
  ].join("\n");
}

export async function startSmsd(
  spool: SmsdFolders,
  device: string,
  options: SmsdOptions = {},
): Promise<Smsd> {
  const conf = join(spool.root, "smsd.conf");
  await writeFile(conf, smsdConf(spool, device, options));
  // A process group of its own: smsd forks a modem process, which runs the eventhandler.
  const child = spawn("smsd", ["-c", conf, "-t"], { stdio: "ignore", detached: true });
  const exited = once(child, "exit").catch(() => undefined);
  await once(child, "spawn");
  const group = child.pid;
  return {
    log: () => readFile(join(spool.root, "smsd.log"), "utf8").catch(() => ""),
    async close() {
      if (group === undefined) return;
      if (child.exitCode === null && child.signalCode === null) {
        // smsd's main process stops its modem processes and waits for them before it exits;
        // one that does not within the grace time is killed with all it started.
        child.kill("SIGTERM");
        const timer = setTimeout(() => killGroup(group), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      // Whatever outlived the main process (an eventhandler still running) goes too.
      killGroup(group);
    },
  };
}

const STOP_GRACE_MS = 10_000;

function killGroup(group: number): void {
  try {
    process.kill(-group, "SIGKILL");
  } catch {
    // ESRCH: the group is gone already.
  }
}
