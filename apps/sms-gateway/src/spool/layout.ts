// The SMSTools3 spool as the gateway sees it: smsd's folders plus two of the gateway's
// own (quarantine for unreadable files, parts for concatenated messages in waiting).
import { constants } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";

export interface SpoolLayout {
  root: string;
  incoming: string;
  outgoing: string;
  checked: string;
  sent: string;
  failed: string;
  quarantine: string;
  parts: string;
}

export function spoolLayout(root: string): SpoolLayout {
  return {
    root,
    incoming: join(root, "incoming"),
    outgoing: join(root, "outgoing"),
    checked: join(root, "checked"),
    sent: join(root, "sent"),
    failed: join(root, "failed"),
    quarantine: join(root, "quarantine"),
    parts: join(root, "parts"),
  };
}

/** Creates missing folders (smsd creates none of its own). */
export async function ensureSpool(layout: SpoolLayout): Promise<void> {
  for (const dir of [
    layout.incoming,
    layout.outgoing,
    layout.checked,
    layout.sent,
    layout.failed,
    layout.quarantine,
    layout.parts,
  ]) {
    await mkdir(dir, { recursive: true });
  }
}

/** Readiness: the folders the gateway writes to or moves files out of are writable. */
export async function spoolWritable(layout: SpoolLayout): Promise<boolean> {
  try {
    for (const dir of [layout.incoming, layout.outgoing, layout.quarantine, layout.parts]) {
      await access(dir, constants.W_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Files in smsd's folders that are not messages: hidden temporary files (ours and other
 * writers'), smsd's lock files and the scripts smsd writes into incoming to test it.
 */
export function isSpoolMessageName(name: string): boolean {
  return !name.startsWith(".") && !name.endsWith(".LOCK") && !name.startsWith("smsd_script.");
}
