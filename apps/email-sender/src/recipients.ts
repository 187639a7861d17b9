// Who an emailoutput message goes to: its inline addresses and, for a broadcast, a
// bucket object with one address per line, read as a stream.
import { createInterface } from "node:readline";
import { emailAddress } from "@isikhnas/contracts";
import { type Bucket, PlatformError } from "@isikhnas/platform";

export interface RecipientList {
  recipients: string[];
  /** Lines that were not an address (reported, not sent to). */
  invalid: string[];
}

export async function readRecipients(
  inline: readonly string[],
  list: { bucket: Bucket; key: string } | undefined,
  options: { maxRecipients: number; signal?: AbortSignal | undefined },
): Promise<RecipientList> {
  const seen = new Set<string>();
  const invalid: string[] = [];
  const add = (line: string) => {
    const address = line.trim().toLowerCase();
    if (address === "" || address.startsWith("#")) return;
    if (!emailAddress.safeParse(address).success) {
      if (invalid.length < 100) invalid.push(line.slice(0, 200));
      return;
    }
    seen.add(address);
    if (seen.size > options.maxRecipients) {
      throw new PlatformError("LIMIT_EXCEEDED", `more than ${options.maxRecipients} recipients`);
    }
  };
  for (const address of inline) add(address);
  if (list) {
    const object = await list.bucket.get(list.key, options.signal ? { signal: options.signal } : {});
    const lines = createInterface({ input: object.body, crlfDelay: Number.POSITIVE_INFINITY });
    try {
      for await (const line of lines) add(line);
    } finally {
      lines.close();
      object.body.destroy();
    }
  }
  return { recipients: [...seen], invalid };
}
