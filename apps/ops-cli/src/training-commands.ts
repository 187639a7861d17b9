// `isikhnas training …`: rebuild the training Sidecar from live, and how its copy of live's
// users and infrastructure is doing.
import { parseConfig } from "@isikhnas/platform";
import type { Command } from "commander";
import { z } from "zod";
import { refreshTraining } from "./training/refresh.js";
import { trainingStatus } from "./training/status.js";

interface Io {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
}

const trainingSchema = z.object({
  DATABASE_URL: z.url(),
  TRAINING_DATABASE_URL: z.url(),
  /** How the training server reaches live, when that differs from DATABASE_URL (another host, a replication user). */
  TRAINING_LIVE_CONNINFO: z.string().min(1).optional(),
  PG_BIN_DIR: z.string().min(1).optional(),
  TRAINING_REFRESH_JOBS: z.coerce.number().int().min(1).max(16).default(2),
  TRAINING_DUMP_DIR: z.string().min(1).optional(),
});

export function loadTrainingConfig(env: Record<string, string | undefined>) {
  return parseConfig(trainingSchema, env);
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function addTrainingCommands(program: Command, io: Io): void {
  const training = program.command("training").description("the training Sidecar: its copy of live");

  training
    .command("refresh")
    .description(
      "rebuild training from live (dump, restore into a new database, check, swap by rename) and re-subscribe it",
    )
    .action(async () => {
      const config = loadTrainingConfig(io.env);
      const abort = new AbortController();
      // An operator's Ctrl-C stops the refresh before the swap; training stays as it was.
      const stop = () => abort.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        const result = await refreshTraining({
          liveUrl: config.DATABASE_URL,
          trainingUrl: config.TRAINING_DATABASE_URL,
          liveConninfo: config.TRAINING_LIVE_CONNINFO,
          binDir: config.PG_BIN_DIR,
          jobs: config.TRAINING_REFRESH_JOBS,
          workDir: config.TRAINING_DUMP_DIR,
          log: io.out,
          signal: abort.signal,
        });
        if (result.previous) io.out(`the previous copy is kept as ${result.previous} until the next refresh`);
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });

  training
    .command("status")
    .description(
      "last refresh, the subscription, replication lag and the slot's size on live; exit 1 on a problem",
    )
    .option("--json", "machine-readable")
    .action(async (options: { json?: boolean }) => {
      const config = loadTrainingConfig(io.env);
      const status = await trainingStatus({
        liveUrl: config.DATABASE_URL,
        trainingUrl: config.TRAINING_DATABASE_URL,
      });
      if (options.json) io.out(JSON.stringify(status, null, 2));
      else {
        const refresh = status.lastRefresh;
        io.out(
          `last refresh      ${refresh ? `${refresh.refreshedAt} (${refresh.rows} rows, migration ${refresh.migration})` : "never"}`,
        );
        const subscription = status.subscription;
        io.out(
          `subscription      ${subscription ? `${subscription.name} ${subscription.enabled ? "enabled" : "DISABLED"}, ${subscription.applyErrors} apply error(s), last message ${subscription.lastMessageAt ?? "never"}` : "none"}`,
        );
        io.out(
          `slot on live      ${status.slot ? `${status.slot.name} ${status.slot.active ? "active" : "inactive"}, lag ${formatBytes(status.slot.lagBytes)}, holds ${formatBytes(status.slot.retainedBytes)} of WAL` : "none"}`,
        );
      }
      if (status.problems.length) {
        program.error(status.problems.map((problem) => `error: ${problem}`).join("\n"), {
          code: "training.problem",
          exitCode: 1,
        });
      }
    });
}
