// A throw-away PostgreSQL cluster run from an installed server's binaries (Debian's
// /usr/lib/postgresql/<major>/bin), for tests that need the client tools of the same major
// version as the server (pg_dump, pg_restore), which the embedded server does not ship.
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startInstalledCluster } from "../postgres.js";

export interface SystemPostgres {
  /** URL of the `postgres` maintenance database (trust authentication on 127.0.0.1). */
  adminUrl: string;
  /** The folder of the server's binaries, whose pg_dump and pg_restore match it. */
  binDir: string;
  stop(): Promise<void>;
}

/** The first installed server folder with initdb, pg_ctl, pg_dump and pg_restore, or undefined. */
export function findSystemPostgresBinDir(candidates = ["/usr/lib/postgresql/15/bin"]): string | undefined {
  const fromEnv = process.env.PG_BIN_DIR;
  for (const dir of fromEnv ? [fromEnv, ...candidates] : candidates) {
    if (["initdb", "pg_ctl", "pg_dump", "pg_restore"].every((tool) => existsSync(join(dir, tool))))
      return dir;
  }
  return undefined;
}

export async function startSystemPostgres(
  binDir: string,
  settings: Record<string, string> = {},
): Promise<SystemPostgres> {
  const root = await mkdtemp(join(tmpdir(), "isikhnas-syspg-"));
  // The server may run as `postgres` (when tests run as root): it must reach its folder.
  await chmod(root, 0o755);
  const port = await freePort();
  const cluster = await startInstalledCluster({ binDir, dataDir: join(root, "data"), port, settings });
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    binDir,
    async stop() {
      await cluster.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
