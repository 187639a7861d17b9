// Runs every built daemon under apps/ as a child process, the way systemd runs them in
// production: `node dist/main.js` with its settings in the environment.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { daemonLogFileName, keepDaemonLog } from "../logs/files.js";
import { ENVIRONMENTS, type LocalEnvironment } from "./layout.js";

export interface DaemonManifest {
  /** One process per environment (it owns an environment's SMS number or bot). */
  perEnvironment?: boolean;
  /** Not a long-running daemon (e.g. the operator CLI). */
  daemon?: boolean;
}

export interface DaemonSpec {
  name: string;
  dir: string;
  entry: string;
  manifest: DaemonManifest;
}

export async function discoverDaemons(repoRoot: string): Promise<DaemonSpec[]> {
  const appsDir = join(repoRoot, "apps");
  if (!existsSync(appsDir)) return [];
  const specs: DaemonSpec[] = [];
  for (const name of (await readdir(appsDir)).sort()) {
    const dir = join(appsDir, name);
    const packageFile = join(dir, "package.json");
    if (!existsSync(packageFile)) continue;
    const pkg = JSON.parse(await readFile(packageFile, "utf8")) as { isikhnas?: DaemonManifest };
    const manifest = pkg.isikhnas ?? {};
    if (manifest.daemon === false) continue;
    const entry = join(dir, "dist", "main.js");
    if (!existsSync(entry)) continue;
    specs.push({ name, dir, entry, manifest });
  }
  return specs;
}

export interface RunningDaemon {
  label: string;
  httpPort: number;
  process: ChildProcess;
}

export interface DaemonEnvironment {
  common: Record<string, string>;
  perEnvironment: (environment: LocalEnvironment) => Record<string, string>;
}

/**
 * Starts each daemon (one per environment where its manifest says so). Every line it
 * writes is printed with its label and kept in `logDir` (see logs/files.ts).
 */
export function startDaemons(
  specs: readonly DaemonSpec[],
  environment: DaemonEnvironment,
  httpPortBase: number,
  print: (line: string) => void,
  logDir: string,
): RunningDaemon[] {
  const running: RunningDaemon[] = [];
  let port = httpPortBase;
  for (const spec of specs) {
    const instances: (LocalEnvironment | undefined)[] = spec.manifest.perEnvironment
      ? [...ENVIRONMENTS]
      : [undefined];
    for (const instance of instances) {
      port += 1;
      const label = instance ? `${spec.name}:${instance}` : spec.name;
      const child = spawn(process.execPath, [spec.entry], {
        cwd: spec.dir,
        env: {
          ...process.env,
          ...environment.common,
          ...(instance ? environment.perEnvironment(instance) : {}),
          HTTP_PORT: String(port),
        },
        stdio: ["ignore", "pipe", "pipe"],
        // Own process group: a terminal's Ctrl-C reaches only the stack, which then stops
        // each daemon once (a second signal would make a daemon skip its drain).
        detached: true,
      });
      keepDaemonLog(
        [child.stdout, child.stderr],
        join(logDir, daemonLogFileName(spec.name, instance)),
        (line) => print(`[${label}] ${line}`),
      );
      child.on("exit", (code, signal) => print(`[${label}] exited (${signal ?? code})`));
      running.push({ label, httpPort: port, process: child });
    }
  }
  return running;
}

/** SIGTERM every daemon and wait for them to exit (they drain their work first). */
export async function stopDaemons(daemons: readonly RunningDaemon[], timeoutMs = 35_000): Promise<void> {
  await Promise.all(
    daemons.map(
      (daemon) =>
        new Promise<void>((resolve) => {
          if (daemon.process.exitCode !== null || daemon.process.signalCode !== null) return resolve();
          const timer = setTimeout(() => daemon.process.kill("SIGKILL"), timeoutMs);
          daemon.process.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          daemon.process.kill("SIGTERM");
        }),
    ),
  );
}
