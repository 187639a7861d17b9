// (Re)writes the bad-input corpora beside the tests that replay them, deterministically:
// `npm run fuzz:corpus`. Each channel's folder is emptied first, so a case removed from a
// generator leaves no stale file behind; `found-*` files (inputs `npm run fuzz` found
// crashing, kept as they were) stay.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORPORA } from "./corpora.js";

const root = fileURLToPath(new URL("..", import.meta.url));

let total = 0;
for (const corpus of CORPORA) {
  const dir = join(root, corpus.folder);
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (!name.startsWith("found-")) await rm(join(dir, name), { recursive: true });
  }
  const files = await corpus.files();
  const names = new Set<string>();
  for (const file of files) {
    if (names.has(file.name)) throw new Error(`${corpus.channel}: ${file.name} twice`);
    names.add(file.name);
    await writeFile(join(dir, file.name), file.content);
  }
  const bytes = files.reduce((sum, file) => sum + file.content.length, 0);
  console.log(
    `${corpus.channel.padEnd(10)} ${String(files.length).padStart(4)} files ${bytes} bytes → ${corpus.folder}`,
  );
  total += files.length;
}
console.log(`total      ${String(total).padStart(4)} files`);
