// The two file-system answers the spool code needs everywhere: whether a file is there,
// and a file already gone (moved or removed by smsd or another handler) as an outcome, not an error.
import { access } from "node:fs/promises";

/** A `.catch` handler: a missing file yields `fallback`, any other error is thrown on. */
export function ignoreMissing<T>(fallback: T) {
  return (error: unknown): T => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  };
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
