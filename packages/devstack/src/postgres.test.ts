import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startPostgres } from "./postgres.js";

describe("the embedded server's data folder", () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses a folder another major version made, saying which and how to start afresh", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "isikhnas-pg-other-major-"));
    // A folder left by an earlier embedded server of another major version.
    await writeFile(join(dataDir, "PG_VERSION"), "9\n");
    await expect(startPostgres({ dataDir, persistent: true })).rejects.toThrow(
      /made by PostgreSQL 9, and the embedded server is 15: `npm run reset` clears the local data/,
    );
  });
});
