import { findSystemPostgresBinDir } from "@isikhnas/devstack/testing";
import { describe, expect, it } from "vitest";
import { ClientToolsError, findPgTools } from "./pg-tools.js";

const binDir = findSystemPostgresBinDir();

describe.skipIf(!binDir)("pg_dump and pg_restore of the servers' version", () => {
  it("takes the configured folder's tools when they match the server", async () => {
    const tools = await findPgTools(15, binDir);
    expect(tools).toMatchObject({ binDir, major: 15 });
  });

  it("refuses tools of another major version, naming what it found and what to do", async () => {
    // A server of another major version than Debian bookworm's 15 tools.
    const refused = findPgTools(17, binDir);
    await expect(refused).rejects.toBeInstanceOf(ClientToolsError);
    await expect(refused).rejects.toThrow(/PostgreSQL 17 .*pg_dump is 15.*PG_BIN_DIR.*postgresql-client-17/);
  });
});
