// Stores an inbound mail in the rawmail bucket exactly as received, streaming, before
// anything reads it. A mail over the limit is not stored: the rest of it is read and
// dropped (so the MTA that pipes it sees it consumed) and its first bytes are kept to
// answer from.
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { type Bucket, isPlatformError } from "@isikhnas/platform";
import { SizeLimit } from "./size-limit.js";

export type RawStoreResult =
  | { kind: "stored"; key: string; size: number; sha256: string }
  | { kind: "too-large"; size: number; head: Buffer };

export function pipedMailKey(now: Date): string {
  return `postfix/${now.toISOString().slice(0, 10)}/${randomUUID()}.eml`;
}

export async function storeRawMail(
  bucket: Bucket,
  input: Readable,
  options: { key: string; maxBytes: number; signal?: AbortSignal },
): Promise<RawStoreResult> {
  const limit = new SizeLimit(options.maxBytes);
  // pipe() rather than pipeline(): when the limit trips, the input must stay open so the
  // rest can be drained instead of breaking the sender's pipe.
  const onInputError = (error: Error) => limit.destroy(error);
  input.once("error", onInputError);
  input.pipe(limit);
  try {
    const stored = await bucket.put(options.key, limit, {
      contentType: "message/rfc822",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { kind: "stored", key: stored.key, size: stored.size, sha256: stored.sha256 };
  } catch (error) {
    if (!isPlatformError(error, "LIMIT_EXCEEDED")) throw error;
    input.unpipe(limit);
    let rest = 0;
    for await (const chunk of input as AsyncIterable<Buffer>) rest += chunk.length;
    return { kind: "too-large", size: limit.byteCount + rest, head: limit.head };
  } finally {
    input.off("error", onInputError);
  }
}
