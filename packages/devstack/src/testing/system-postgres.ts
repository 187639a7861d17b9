// A throw-away PostgreSQL cluster run from an installed server's binaries (Debian's
// /usr/lib/postgresql/<major>/bin), for tests that need the client tools of the same major
// version as the server (pg_dump, pg_restore), which the embedded server does not ship.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../postgres.js";

const execFileAsync = promisify(execFile);

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
  const dataDir = join(root, "data");
  const port = await freePort();
  // PostgreSQL refuses to run as root: as root, the cluster belongs to `postgres`.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await execFileAsync("id", ["-u", "postgres"]);
    const { stdout: gid } = await execFileAsync("id", ["-g", "postgres"]);
    await chmod(root, 0o755);
    await chown(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileAsync("runuser", ["-u", "postgres", "--", join(binDir, tool), ...args])
      : execFileAsync(join(binDir, tool), args);
  await run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  const options = Object.entries({
    port: String(port),
    listen_addresses: "127.0.0.1",
    unix_socket_directories: root,
    fsync: "off",
    ...settings,
  })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ");
  await run("pg_ctl", ["-D", dataDir, "-o", options, "-l", join(root, "server.log"), "-w", "start"]);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    binDir,
    async stop() {
      await run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}
