// The gateway as smsd's eventhandler, installed the way infra/smstools/smsd.conf describes:
// a shell wrapper that loads the gateway's environment file and execs `main event "$@"`
// (here from the TypeScript sources, as the e2e pipeline runs the other daemons).
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Env } from "@isikhnas/platform";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Single-quoted for sh: the value as it is, whatever it holds. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Writes `<dir>/sms-gateway.env` and `<dir>/isikhnas-sms-event`; resolves to the wrapper's path. */
export async function writeEventHandler(dir: string, env: Env): Promise<string> {
  const envFile = join(dir, "sms-gateway.env");
  const wrapper = join(dir, "isikhnas-sms-event");
  const lines = Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${shellQuote(value)}`);
  await writeFile(envFile, `${lines.join("\n")}\n`);
  await writeFile(
    wrapper,
    [
      "#!/bin/sh",
      `set -a; . ${shellQuote(envFile)}; set +a`,
      // tsx and the `source` condition resolve from the repository, whatever smsd's cwd.
      `cd ${shellQuote(repoRoot)}`,
      `exec ${shellQuote(process.execPath)} --conditions=source --import tsx apps/sms-gateway/src/main.ts event "$@"`,
      "",
    ].join("\n"),
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}
