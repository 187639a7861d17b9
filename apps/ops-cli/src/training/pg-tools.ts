// pg_dump and pg_restore of the same major version as the servers: pg_dump refuses a newer
// server, and a newer pg_restore writes settings an older server does not know.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export class ClientToolsError extends Error {
  readonly code = "CLIENT_TOOLS";
}

export interface PgTools {
  binDir: string;
  major: number;
  run(tool: "pg_dump" | "pg_restore", args: readonly string[], signal?: AbortSignal): Promise<void>;
}

const DBNAME = "--dbname=";

function withoutPassword(arg: string): string {
  if (!arg.startsWith(DBNAME)) return arg;
  const url = new URL(arg.slice(DBNAME.length));
  url.password = "";
  return `${DBNAME}${url.toString()}`;
}

function passwordOf(args: readonly string[]): { PGPASSWORD?: string } {
  const arg = args.find((candidate) => candidate.startsWith(DBNAME));
  const password = arg ? decodeURIComponent(new URL(arg.slice(DBNAME.length)).password) : "";
  return password ? { PGPASSWORD: password } : {};
}

async function toolMajor(path: string): Promise<number | undefined> {
  try {
    const { stdout } = await execFileAsync(path, ["--version"]);
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds pg_dump and pg_restore of `serverMajor`: in `configured` (PG_BIN_DIR) when set,
 * else Debian's /usr/lib/postgresql/<major>/bin, else on PATH; refuses any other version.
 */
export async function findPgTools(serverMajor: number, configured?: string): Promise<PgTools> {
  const candidates = configured ? [configured] : [`/usr/lib/postgresql/${serverMajor}/bin`, ""];
  const seen: string[] = [];
  for (const dir of candidates) {
    const dump = dir ? join(dir, "pg_dump") : "pg_dump";
    if (dir && !existsSync(dump)) continue;
    const major = await toolMajor(dump);
    if (major === undefined) continue;
    seen.push(`${dump} is ${major}`);
    if (major !== serverMajor || (await toolMajor(dir ? join(dir, "pg_restore") : "pg_restore")) !== major)
      continue;
    return {
      binDir: dir,
      major,
      async run(tool, args, signal) {
        await execFileAsync(dir ? join(dir, tool) : tool, args.map(withoutPassword), {
          signal,
          maxBuffer: 16 * 1024 * 1024,
          // The password goes by environment, not on a command line that `ps` shows.
          env: { ...process.env, ...passwordOf(args) },
        });
      },
    };
  }
  throw new ClientToolsError(
    `no pg_dump/pg_restore of PostgreSQL ${serverMajor} (the servers' version) found${seen.length ? ` (${seen.join(", ")})` : ""}: ` +
      `set PG_BIN_DIR to their folder, or install postgresql-client-${serverMajor}`,
  );
}

export async function serverMajor(client: {
  query(text: string): Promise<{ rows: { major?: unknown }[] }>;
}): Promise<number> {
  const result = await client.query("SELECT current_setting('server_version_num')::int / 10000 AS major");
  return Number(result.rows[0]?.major);
}
