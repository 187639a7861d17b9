// A small process supervisor for the chaos run: every daemon as a real process, started
// again after it dies (systemd's Restart=always with a short RestartSec), except on exit
// 78, a bad setting, which the units do not restart either.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";

export interface DaemonSpec {
  name: string;
  /** Path of its `src/main.ts` from the repository root. */
  entry: string;
  env: Record<string, string>;
}

export interface DaemonRecord {
  name: string;
  starts: number;
  kills: number;
  /** Exits the supervisor did not cause (crashes), with their code or signal. */
  crashes: string[];
  /** Exited 78 (a bad setting): not restarted. */
  refused: boolean;
  /** Kills that found it still starting (up less than the minimum uptime), so left it be. */
  spared: number;
}

export interface Supervisor {
  readonly records: DaemonRecord[];
  /**
   * SIGKILLs the daemon if it has been up at least `minUptimeMs` (the supervisor then
   * restarts it); one still starting is spared, or on a slow machine a daemon killed every
   * few seconds would never get past its start.
   */
  kill(name: string): boolean;
  /** Stops restarting and SIGTERMs every daemon (SIGKILL after the deadline). */
  stop(deadlineMs?: number): Promise<void>;
}

const RESTART_DELAY_MS = 250;
const CONFIG_ERROR_EXIT = 78;

export function startSupervisor(options: {
  repoRoot: string;
  daemons: readonly DaemonSpec[];
  baseEnv: Record<string, string>;
  logDir: string;
  minUptimeMs?: number;
}): Supervisor {
  const minUptimeMs = options.minUptimeMs ?? 5_000;
  const startedAt = new Map<string, number>();
  let stopping = false;
  const children = new Map<string, ChildProcess>();
  const killed = new Set<ChildProcess>();
  const records = options.daemons.map<DaemonRecord>((spec) => ({
    name: spec.name,
    starts: 0,
    kills: 0,
    crashes: [],
    refused: false,
    spared: 0,
  }));
  // One log file per daemon across its restarts, to read after a broken promise.
  const logs = new Map<string, WriteStream>(
    options.daemons.map((spec) => [spec.name, createWriteStream(join(options.logDir, `${spec.name}.log`))]),
  );

  function start(spec: DaemonSpec, record: DaemonRecord) {
    const log = logs.get(spec.name) as WriteStream;
    record.starts += 1;
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", join(options.repoRoot, spec.entry)],
      { cwd: options.repoRoot, env: { ...options.baseEnv, ...spec.env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    children.set(spec.name, child);
    startedAt.set(spec.name, Date.now());
    child.once("exit", (code, signal) => {
      children.delete(spec.name);
      if (!killed.delete(child) && !stopping) record.crashes.push(String(signal ?? code));
      if (code === CONFIG_ERROR_EXIT) {
        record.refused = true;
        return;
      }
      if (stopping) return;
      setTimeout(() => {
        if (!stopping) start(spec, record);
      }, RESTART_DELAY_MS);
    });
  }

  for (const [index, spec] of options.daemons.entries()) start(spec, records[index] as DaemonRecord);

  return {
    records,
    kill(name) {
      const child = children.get(name);
      const record = records.find((candidate) => candidate.name === name);
      if (!child || child.exitCode !== null || child.signalCode !== null) return false;
      if (Date.now() - (startedAt.get(name) ?? 0) < minUptimeMs) {
        if (record) record.spared += 1;
        return false;
      }
      killed.add(child);
      child.kill("SIGKILL");
      if (record) record.kills += 1;
      return true;
    },
    async stop(deadlineMs = 30_000) {
      if (stopping) return;
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
              child.once("exit", () => {
                clearTimeout(timer);
                resolve();
              });
              child.kill("SIGTERM");
            }),
        ),
      );
      await Promise.all(
        [...logs.values()].map((log) => new Promise<void>((resolve) => log.end(() => resolve()))),
      );
    },
  };
}
