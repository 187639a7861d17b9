// Stores an inbound mail in the rawmail bucket exactly as received, streaming, and can
// hand the same bytes to a reader as they are stored. A mail over the limit is not
// stored: the rest of it is read and dropped (so the MTA that pipes it sees it consumed)
// and its first bytes are kept to answer from.
import { randomUUID } from "node:crypto";
import { PassThrough, type Readable, type Writable } from "node:stream";
import { type Bucket, isPlatformError, toError } from "@isikhnas/platform";
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
  options: {
    key: string;
    maxBytes: number;
    signal?: AbortSignal;
    /**
     * Also gets the mail as it is stored (at the pace of the slower of the two): it is
     * ended with the mail, or destroyed with the error that stops storing. Destroying it
     * lets the store go on alone.
     */
    alsoTo?: Writable;
  },
): Promise<RawStoreResult> {
  const limit = new SizeLimit(options.maxBytes);
  // pipe() rather than pipeline(): when the limit trips, the input must stay open so the
  // rest can be drained instead of breaking the sender's pipe.
  const onInputError = (error: Error) => limit.destroy(error);
  input.once("error", onInputError);
  input.pipe(limit);
  let body: Readable = limit;
  const reader = options.alsoTo;
  if (reader) {
    // pipe() to both: a destination that is destroyed is unpiped, the other goes on.
    const storing = new PassThrough();
    limit.once("error", (error) => {
      storing.destroy(error);
      reader.destroy(error);
    });
    limit.pipe(storing);
    limit.pipe(reader);
    body = storing;
  }
  try {
    const stored = await bucket.put(options.key, body, {
      contentType: "message/rfc822",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { kind: "stored", key: stored.key, size: stored.size, sha256: stored.sha256 };
  } catch (error) {
    if (!isPlatformError(error, "LIMIT_EXCEEDED")) {
      reader?.destroy(toError(error));
      throw error;
    }
    input.unpipe(limit);
    let rest = 0;
    for await (const chunk of input as AsyncIterable<Buffer>) rest += chunk.length;
    return { kind: "too-large", size: limit.byteCount + rest, head: limit.head };
  } finally {
    input.off("error", onInputError);
  }
}
