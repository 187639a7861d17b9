// Outgoing message files for smsd: `To:` in international form without '+', plain text
// when it fits GSM-7, otherwise `Alphabet: UCS2` with a UTF-16BE body. Written under a
// hidden name and renamed, so smsd (which skips dot files) never reads half a file.
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { isGsm7 } from "./gsm7.js";

export interface OutgoingSms {
  /** International number, digits only (a leading '+' is dropped). */
  to: string;
  text: string;
}

export function renderOutgoing(sms: OutgoingSms): Buffer {
  const to = sms.to.replace(/^\+/, "");
  if (!/^\d{5,15}$/.test(to)) throw new RangeError(`not an international number: ${JSON.stringify(sms.to)}`);
  if (isGsm7(sms.text)) {
    // No Alphabet header: smsd reads the text as UTF-8 (outgoing_utf8 defaults to yes) and
    // converts it to GSM-7, which loses nothing because every character is in that set.
    return Buffer.from(`To: ${to}\n\n${sms.text}`, "utf8");
  }
  const body = Buffer.from(sms.text, "utf16le").swap16();
  return Buffer.concat([Buffer.from(`To: ${to}\nAlphabet: UCS2\n\n`, "latin1"), body]);
}

/** Writes `name` into `dir` atomically; the content is on disk before smsd can see it. */
export async function writeOutgoing(dir: string, name: string, sms: OutgoingSms): Promise<string> {
  const content = renderOutgoing(sms);
  const temporary = join(dir, `.${name}.tmp`);
  const target = join(dir, name);
  const handle = await open(temporary, "w", 0o664);
  try {
    await handle.writeFile(content);
    await handle.datasync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await handle.close();
  await rename(temporary, target);
  return target;
}
