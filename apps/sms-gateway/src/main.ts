#!/usr/bin/env node
// Entry point. `main.js` runs the daemon; `main.js event <EVENT> <file> [id]` is smsd's
// eventhandler: it handles one event and exits (non-zero when it could not).
import { createDatabase, createLogger, loadConfigOrExit, runDaemon } from "@isikhnas/platform";
import { createApp, createIncomingDeps } from "./app.js";
import { loadConfig } from "./config.js";
import { handleSmsdEvent } from "./event-handler.js";

const config = loadConfigOrExit(() => loadConfig());
const logger = createLogger({ name: "sms-gateway", level: config.LOG_LEVEL });
const db = createDatabase(config, "sms-gateway");
const [command, ...args] = process.argv.slice(2);

if (command === "event") {
  try {
    const incoming = createIncomingDeps({ config, db, logger });
    const outcome = await handleSmsdEvent({ db, incoming, maxAttempts: config.SMS_MAX_ATTEMPTS }, args);
    logger.info({ args, outcome }, "smsd event handled");
  } catch (error) {
    logger.error({ err: error, args }, "smsd event not handled");
    process.exitCode = 1;
  } finally {
    await db.close();
  }
} else if (command === undefined || command === "run") {
  await runDaemon(async () => createApp({ config, db, logger }), { logger });
} else {
  logger.error({ command }, "unknown command; expected nothing, 'run' or 'event'");
  await db.close();
  process.exitCode = 2;
}
