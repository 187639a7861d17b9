// Files that cannot be read as a message move to quarantine/ with a `.reason` file beside
// them: never deleted, never retried, visible to an operator.
import { constants } from "node:fs";
import { copyFile, unlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ignoreMissing } from "./files.js";

export interface Quarantined {
  path: string;
  reasonPath: string;
}

export async function quarantineFile(
  path: string,
  quarantineDir: string,
  reason: string,
  now: Date,
): Promise<Quarantined> {
  const name = basename(path);
  for (let attempt = 0; ; attempt += 1) {
    // smsd reuses random names over time, so an earlier file of the same name may be there.
    const target = join(quarantineDir, attempt === 0 ? name : `${name}.${attempt}`);
    try {
      // COPYFILE_EXCL claims the name; the original is removed only once the copy exists.
      await copyFile(path, target, constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    const reasonPath = `${target}.reason`;
    await writeFile(reasonPath, `${reason}\nfrom: ${path}\nat: ${now.toISOString()}\n`);
    await unlink(path).catch(ignoreMissing(undefined));
    return { path: target, reasonPath };
  }
}
