// The lifecycle every daemon shares: start, two-stage shutdown on SIGTERM/SIGINT (the
// first drains against a deadline, the second forces), uncaught errors logged with a
// non-zero exit. Only main.ts calls runDaemon; library code never touches signals.
import type { Logger } from "../logger.js";

export interface Daemon {
  start(): Promise<void>;
  /** Stop taking work, finish or release in-flight work, close clients. Repeat-safe. */
  stop(): Promise<void>;
}

export interface RunDaemonOptions {
  logger: Logger;
  /** How long a graceful stop may take before the process exits anyway. */
  shutdownTimeoutMs?: number;
  /** Injected for tests; defaults to the real process. */
  process?: Pick<NodeJS.Process, "on" | "exit" | "exitCode">;
}

export async function runDaemon(build: () => Promise<Daemon>, options: RunDaemonOptions): Promise<void> {
  const proc = options.process ?? process;
  const { logger } = options;
  const timeoutMs = options.shutdownTimeoutMs ?? 30_000;
  let daemon: Daemon | undefined;
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) {
      logger.warn({ reason }, "second signal: exiting now");
      proc.exit(exitCode || 130);
      return stopping;
    }
    logger.info({ reason, timeoutMs }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, "graceful shutdown timed out; exiting");
      proc.exit(1);
    }, timeoutMs);
    timer.unref();
    stopping = (daemon ? daemon.stop() : Promise.resolve()).then(
      () => {
        clearTimeout(timer);
        logger.info("stopped");
        proc.exit(exitCode);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, "error while stopping");
        proc.exit(1);
      },
    );
    return stopping;
  };

  proc.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  proc.on("SIGINT", () => void shutdown("SIGINT", 0));
  proc.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, "uncaught exception");
    void shutdown("uncaughtException", 1);
  });
  proc.on("unhandledRejection", (reason) => {
    logger.fatal({ err: reason }, "unhandled rejection");
    void shutdown("unhandledRejection", 1);
  });

  try {
    daemon = await build();
    await daemon.start();
    logger.info("started");
  } catch (error) {
    logger.fatal({ err: error }, "failed to start");
    await daemon?.stop().catch(() => {});
    proc.exit(1);
  }
}

/** sysexits' EX_CONFIG; units set `RestartPreventExitStatus=78` so a bad setting doesn't restart-loop. */
export const EXIT_CONFIG = 78;

/** The oldest Node.js release line the daemons run on (24 LTS is the one tested). */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * Loads the configuration or exits with EX_CONFIG after printing the one error that names
 * every bad variable. A Node.js older than MINIMUM_NODE_MAJOR counts as a bad setting of
 * the host: it is named the same way rather than failing later on a missing API. For
 * main.ts only, like runDaemon.
 */
export function loadConfigOrExit<T>(
  load: () => T,
  proc: Pick<NodeJS.Process, "exit" | "stderr" | "versions"> = process,
): T {
  const major = Number(proc.versions.node.split(".")[0]);
  if (!(major >= MINIMUM_NODE_MAJOR)) {
    proc.stderr.write(
      `Node.js ${MINIMUM_NODE_MAJOR} or later is required (24 LTS recommended); this is ${proc.versions.node}\n`,
    );
    return proc.exit(EXIT_CONFIG);
  }
  try {
    return load();
  } catch (error) {
    proc.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return proc.exit(EXIT_CONFIG);
  }
}
