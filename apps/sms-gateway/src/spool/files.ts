// The file-system answers the spool code needs everywhere: whether a file is there, a file
// already gone (moved or removed by smsd or another handler) as an outcome, not an error,
// and a file read only when it is small enough.
import { access, open } from "node:fs/promises";

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

/** The file's bytes, or "too-large" (without reading it) when it holds more than `maxBytes`. */
export async function readBounded(path: string, maxBytes: number): Promise<Buffer | "too-large"> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return "too-large";
    // Read one byte past the limit: a file still growing must not slip through whole.
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) return "too-large";
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
