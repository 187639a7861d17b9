// The few yauzl calls the workbook code makes, as promises. yauzl reads a zip by its
// central directory and checks every entry's inflated size against what the directory
// declares.
import type { Readable } from "node:stream";
import yauzl from "yauzl";

export function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) =>
      error || !zip ? reject(error ?? new Error("the zip could not be opened")) : resolve(zip),
    ),
  );
}

/** Every entry of the central directory, in its order. */
export function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", reject);
    zip.readEntry();
  });
}

export function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) =>
      error || !stream ? reject(error ?? new Error(`${entry.fileName} could not be read`)) : resolve(stream),
    ),
  );
}
