// `isikhnas console`: serves the ops console on localhost until Ctrl-C or SIGTERM.
import { createDatabase, createLogger, createQueueAges, createSqsClient } from "@isikhnas/platform";
import { type Command, InvalidArgumentError } from "commander";
import type { ProgramIo } from "../program.js";
import { loadConsoleConfig } from "./config.js";
import { isLoopback, startConsole } from "./server.js";

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port`);
  }
  return parsed;
}

export function addConsoleCommand(program: Command, io: ProgramIo): void {
  program
    .command("console")
    .description(
      "serve the ops console (queues, dead letters and redrive, messages in doubt, the latest messages, report runs, daemon health, monitor incidents) on localhost, behind a login",
    )
    .option("--port <port>", "port to listen on", port, 8090)
    .option("--host <address>", "address to listen on (loopback only unless --allow-remote)", "127.0.0.1")
    .option(
      "--allow-remote",
      "listen on a non-loopback address (only on a host reached through the operators' VPN)",
    )
    .action(async (options: { port: number; host: string; allowRemote?: boolean }, command: Command) => {
      if (!isLoopback(options.host) && !options.allowRemote) {
        command.error(
          `error: refusing to listen on ${options.host}: the console is for localhost (use an SSH tunnel or the VPN); pass --allow-remote to override`,
          { exitCode: 2 },
        );
      }
      const config = loadConsoleConfig(io.env);
      const logger = createLogger({ name: "isikhnas-console", level: config.LOG_LEVEL });
      const db = createDatabase(
        { ...config, DB_POOL_MAX: Math.min(config.DB_POOL_MAX, 4) },
        "isikhnas-console",
      );
      const sqs = createSqsClient(config);
      const { ages: queueAges, close: closeAges } = createQueueAges(config, config.CONSOLE_QUEUE_AGE_SOURCE);
      const running = await startConsole(
        { db, sqs, logger, ...(queueAges ? { queueAges } : {}) },
        {
          prefix: config.RESOURCE_PREFIX,
          password: config.CONSOLE_PASSWORD,
          ...(config.CONSOLE_SESSION_SECRET ? { sessionSecret: config.CONSOLE_SESSION_SECRET } : {}),
          sessionTtlMs: config.CONSOLE_SESSION_HOURS * 3_600_000,
          maxLoginFailures: config.CONSOLE_LOGIN_MAX_FAILURES,
          loginWindowMs: config.CONSOLE_LOGIN_WINDOW_SECONDS * 1000,
          daemons: config.CONSOLE_DAEMON_URLS,
          ...(config.MONITOR_STATUS_URL ? { monitorStatusUrl: config.MONITOR_STATUS_URL } : {}),
          host: options.host,
          port: options.port,
          allowRemote: Boolean(options.allowRemote),
        },
      );
      io.out(`ops console on ${running.url}/ (Ctrl-C stops it)`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await running.close();
      sqs.destroy();
      closeAges();
      await db.close();
    });
}
