// The end-to-end canary: an SMS from the canary user, written into the gateway's incoming
// spool as smsd would, whose reply must appear in smsd's outgoing, checked or sent folder
// within a deadline. The text is a query (KODE), so it stores no report and alerts nobody;
// the canary user is a registered user of its own, never an officer.
import { randomBytes } from "node:crypto";
import { open, readdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeError, type Probe } from "./checks.js";

export interface CanaryOptions {
  spoolDir: string;
  phone: string;
  text: string;
  everySeconds: number;
  deadlineSeconds: number;
}

/** smsd moves a reply from outgoing/ to checked/ and then sent/ (or failed/, which is no reply). */
const REPLY_FOLDERS = ["outgoing", "checked", "sent"] as const;

/** Reads only the header of a spool file (the body may be long). */
async function recipientOf(path: string): Promise<string | undefined> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const header = buffer.subarray(0, bytesRead).toString("latin1").split("\n\n")[0] ?? "";
    return /^To:\s*\+?(\d+)\s*$/m.exec(header)?.[1];
  } finally {
    await handle.close();
  }
}

async function replySince(spoolDir: string, phone: string, since: Date): Promise<Date | undefined> {
  // Whole-second file times on some file systems: a reply written in the canary's own second counts.
  const from = since.getTime() - 1000;
  for (const folder of REPLY_FOLDERS) {
    const dir = join(spoolDir, folder);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(".") || name.endsWith(".LOCK")) continue;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs < from) continue;
      const to = await recipientOf(path).catch(() => undefined);
      if (to === phone) return info.mtime;
    }
  }
  return undefined;
}

async function dropCanary(options: CanaryOptions, at: Date): Promise<void> {
  const name = `monitor-canary.${at.getTime()}.${randomBytes(3).toString("hex")}`;
  const incoming = join(options.spoolDir, "incoming");
  const temporary = join(incoming, `.${name}.tmp`);
  const handle = await open(temporary, "w", 0o664);
  try {
    await handle.writeFile(`From: ${options.phone}\nAlphabet: ISO\n\n${options.text}`, "latin1");
    await handle.datasync();
  } finally {
    await handle.close();
  }
  // Renamed into place like smsd's own files, so the gateway never reads half of one.
  await rename(temporary, join(incoming, name));
}

export function canaryProbe(options: CanaryOptions): Probe {
  const phone = options.phone.replace(/^\+/, "");
  /** Send time of the oldest canary still without a reply. */
  let unansweredSince: Date | undefined;
  let lastSentAt: Date | undefined;
  let lastRoundTrip: number | undefined;
  return {
    names: ["canary"],
    async run(now) {
      try {
        if (unansweredSince) {
          const repliedAt = await replySince(options.spoolDir, phone, unansweredSince);
          if (repliedAt) {
            lastRoundTrip = Math.max(0, Math.round((repliedAt.getTime() - unansweredSince.getTime()) / 1000));
            unansweredSince = undefined;
          }
        }
        if (!lastSentAt || now.getTime() - lastSentAt.getTime() >= options.everySeconds * 1000) {
          await dropCanary({ ...options, phone }, now);
          lastSentAt = now;
          unansweredSince ??= now;
        }
        const waited = unansweredSince ? Math.round((now.getTime() - unansweredSince.getTime()) / 1000) : 0;
        if (waited > options.deadlineSeconds) {
          return [
            {
              name: "canary",
              ok: false,
              detail: `no reply to "${options.text}" for ${waited} s (deadline ${options.deadlineSeconds} s)`,
            },
          ];
        }
        return [
          {
            name: "canary",
            ok: true,
            detail:
              lastRoundTrip === undefined
                ? `waiting for the first reply (${waited} s)`
                : `last reply after ${lastRoundTrip} s`,
          },
        ];
      } catch (error) {
        return [{ name: "canary", ok: false, detail: `could not send the canary: ${describeError(error)}` }];
      }
    },
  };
}
