// The .eml fixtures with their placeholders filled in: the sender, the ingest address,
// and a tag that makes each fixture's Message-ID unique.
import { readFile } from "node:fs/promises";

export async function fixtureMail(
  name: string,
  fill: { from: string; to: string; tag: string },
): Promise<Buffer> {
  const text = await readFile(new URL(`../fixtures/${name}`, import.meta.url), "latin1");
  return Buffer.from(
    text
      .replaceAll("FROM_ADDRESS", fill.from)
      .replaceAll("TO_ADDRESS", fill.to)
      .replaceAll("MSGTAG", fill.tag),
    "latin1",
  );
}
