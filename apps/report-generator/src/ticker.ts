// The daemon's own trigger: a tick at start and then every REPORT_TICK_SECONDS, so a host
// without the systemd timer still sends its reports. Failures are logged and retried at
// the next tick; stop() waits for a tick in progress.
import { setTimeout as sleep } from "node:timers/promises";
import type { DaemonPart, Logger } from "@isikhnas/platform";
import { type TickDeps, type TickSettings, tick } from "./schedule.js";

export function createTicker(
  deps: TickDeps & { logger: Logger },
  settings: TickSettings & { everySeconds: number },
): DaemonPart {
  const controller = new AbortController();
  let loop: Promise<void> | undefined;
  return {
    async start() {
      if (settings.everySeconds <= 0) return;
      loop = (async () => {
        while (!controller.signal.aborted) {
          try {
            const result = await tick(deps, settings);
            if (result.created + result.requeued + result.waiting > 0)
              deps.logger.info(result, "report tick");
          } catch (error) {
            deps.logger.error({ err: error }, "report tick failed; trying again at the next tick");
          }
          await sleep(settings.everySeconds * 1000, undefined, { signal: controller.signal }).catch(() => {});
        }
      })();
    },
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
