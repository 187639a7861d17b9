// A ReportSink that writes each file into a folder: the operator's preview and the tests.
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import type { ReportSink } from "./render.js";

export function folderSink(folder: string): ReportSink {
  return {
    async write(name, _contentType, produce) {
      const path = join(folder, name);
      const file = createWriteStream(path);
      await produce(file);
      if (!file.writableFinished) {
        file.end();
        await finished(file);
      }
      return { key: path, size: file.bytesWritten };
    },
  };
}
