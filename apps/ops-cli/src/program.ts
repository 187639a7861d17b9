// The operator command line as a value: main.ts runs it against process.env and stdout;
// tests run it against the local stack.
import { writeFile } from "node:fs/promises";
import {
  findTemplate,
  listMailInDoubt,
  migrationsDir,
  seedDemoData,
  seedReferenceData,
  TEMPLATE_DEFINITIONS,
} from "@isikhnas/domain";
import {
  createS3Client,
  createSqsClient,
  type Env,
  listDeadLetters,
  migrate,
  provisionResources,
  QUEUES,
  queueStats,
  redrive,
} from "@isikhnas/platform";
import { blankTemplate } from "@isikhnas/workbooks";
import { Command, InvalidArgumentError } from "commander";
import { loadAwsConfig, loadDatabaseConfig, withDatabase } from "./config.js";
import { addConsoleCommand } from "./console/command.js";
import { addImCommands } from "./im-commands.js";
import { addMonitorCommands } from "./monitor-commands.js";
import { addReportCommands } from "./report-commands.js";
import { addTrainingCommands } from "./training-commands.js";

export interface ProgramIo {
  env: Env;
  out: (line: string) => void;
}

export function createProgram(io: ProgramIo): Command {
  const program = new Command()
    .name("isikhnas")
    .description("Operator tool for the iSIKHNAS messaging back end (AWS or the local stack)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.out(text.trimEnd()),
    });

  program
    .command("migrate")
    .description("apply pending database migrations (DATABASE_URL)")
    .option("--seed", "also load the reference data (code lists, user types, permissions)")
    .option("--demo", "also load the demo locations, infrastructure and users")
    .action(async (options: { seed?: boolean; demo?: boolean }) => {
      const config = loadDatabaseConfig(io.env);
      const result = await migrate({ databaseUrl: config.DATABASE_URL, dir: migrationsDir });
      io.out(result.applied.length ? `applied: ${result.applied.join(", ")}` : "database is up to date");
      if (options.seed || options.demo) await seed(io, Boolean(options.demo));
    });

  program
    .command("seed")
    .description("load the reference data (idempotent); --demo adds demo places, infrastructure and users")
    .option("--demo", "also load the demo data")
    .action(async (options: { demo?: boolean }) => {
      await seed(io, Boolean(options.demo));
    });

  program
    .command("provision")
    .description(
      "create every queue (with dead-letter queue and redrive policy) and bucket under RESOURCE_PREFIX",
    )
    .action(async () => {
      const config = loadAwsConfig(io.env);
      const sqs = createSqsClient(config);
      const s3 = createS3Client(config);
      try {
        const result = await provisionResources({
          sqs,
          s3,
          prefix: config.RESOURCE_PREFIX,
          maxReceiveCount: config.MAX_RECEIVE_COUNT,
        });
        for (const queue of result.queues)
          io.out(`queue  ${queue.url}  (dead letters: ${queue.deadLetterUrl})`);
        for (const bucket of result.buckets) io.out(`bucket ${bucket}`);
      } finally {
        sqs.destroy();
        s3.destroy();
      }
    });

  const queues = program.command("queues").description("queue depth, dead letters and redrive");

  queues
    .command("stats")
    .description("depth, in flight, delayed and dead-letter depth of every queue")
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await withSqs(io, async (sqs, prefix) => {
        const stats = await queueStats(sqs, prefix);
        if (options.json) {
          io.out(JSON.stringify(stats, null, 2));
          return;
        }
        io.out(
          `${"queue".padEnd(16)}${"depth".padStart(8)}${"in flight".padStart(11)}${"delayed".padStart(9)}${"dead".padStart(8)}`,
        );
        for (const row of stats) {
          io.out(
            `${row.queue.padEnd(16)}${String(row.depth).padStart(8)}${String(row.inFlight).padStart(11)}${String(row.delayed).padStart(9)}${String(row.deadLetterDepth).padStart(8)}`,
          );
        }
      });
    });

  queues
    .command("dead-letters")
    .description("list dead-lettered messages of a queue with their reasons (does not remove them)")
    .argument("<queue>", `one of ${QUEUES.join(", ")}`)
    .option("--max <n>", "at most this many", "10")
    .option("--json", "print JSON")
    .action(async (queue: string, options: { max: string; json?: boolean }) => {
      checkQueue(queue);
      await withSqs(io, async (sqs, prefix) => {
        const letters = await listDeadLetters(sqs, prefix, queue, { max: positiveInt(options.max) });
        if (options.json) {
          io.out(JSON.stringify(letters, null, 2));
          return;
        }
        if (letters.length === 0) io.out(`no dead letters on ${queue}`);
        for (const letter of letters) {
          io.out(
            `${letter.messageId}  received ${letter.receiveCount}x  ${letter.sentAt ?? ""}\n  reason: ${letter.reason ?? "moved by the redrive policy after repeated failures"}${letter.correlationId ? `\n  correlation: ${letter.correlationId}` : ""}\n  body (${letter.bodyBytes} bytes): ${letter.bodyPreview}`,
          );
        }
      });
    });

  queues
    .command("redrive")
    .description("move dead-lettered messages back to their queue")
    .argument("<queue>", `one of ${QUEUES.join(", ")}`)
    .option("--max <n>", "at most this many (default all)")
    .action(async (queue: string, options: { max?: string }) => {
      checkQueue(queue);
      await withSqs(io, async (sqs, prefix) => {
        const result = await redrive(
          sqs,
          prefix,
          queue,
          options.max ? { max: positiveInt(options.max) } : {},
        );
        io.out(
          `moved ${result.moved} message(s) back to ${queue}${result.failed ? `; ${result.failed} failed` : ""}`,
        );
      });
    });

  program
    .command("template")
    .description("write the blank workbook of a template, with drop-downs from the current code lists")
    .argument("<id>", `one of ${TEMPLATE_DEFINITIONS.map((template) => template.id).join(", ")}`)
    .option("--out <file>", "where to write it (default: <id>.xlsx)")
    .option("--language <language>", "id or en", "id")
    .action(async (id: string, options: { out?: string; language: string }) => {
      if (!findTemplate(id)) {
        throw new InvalidArgumentError(
          `unknown template "${id}": expected one of ${TEMPLATE_DEFINITIONS.map((template) => template.id).join(", ")}`,
        );
      }
      const { language } = options;
      if (language !== "id" && language !== "en") {
        throw new InvalidArgumentError(`language must be id or en, not "${language}"`);
      }
      await withDatabase(io.env, async (db) => {
        const file = options.out ?? `${id}.xlsx`;
        await writeFile(file, await blankTemplate(db, id, language));
        io.out(`wrote ${file}`);
      });
    });

  program
    .command("mail-in-doubt")
    .description(
      "list e-mails whose sender was killed during the SES call: SES may or may not have sent them, so they are never resent automatically",
    )
    .option("--limit <n>", "at most this many", "50")
    .action(async (options: { limit: string }) => {
      await withDatabase(io.env, async (db) => {
        const inDoubt = await listMailInDoubt(db, { limit: positiveInt(options.limit) });
        if (inDoubt.length === 0) io.out("no e-mails in doubt");
        for (const mail of inDoubt) {
          io.out(
            `${mail.id}  ${mail.claimedAt?.toISOString() ?? "-"}  ${mail.recipient}  "${mail.subject}"  (${mail.messageKey})${mail.reason ? `\n  reason: ${mail.reason}` : ""}`,
          );
        }
      });
    });

  addReportCommands(program, io);
  addImCommands(program, io);
  addTrainingCommands(program, io);
  addConsoleCommand(program, io);
  addMonitorCommands(program, io);

  return program;
}

function checkQueue(queue: string) {
  if (!(QUEUES as readonly string[]).includes(queue)) {
    throw new InvalidArgumentError(`unknown queue "${queue}": expected one of ${QUEUES.join(", ")}`);
  }
}

function positiveInt(value: string): number {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError(`"${value}" is not a positive number`);
  return parsed;
}

async function withSqs(
  io: ProgramIo,
  work: (sqs: ReturnType<typeof createSqsClient>, prefix: string) => Promise<void>,
) {
  const config = loadAwsConfig(io.env);
  const sqs = createSqsClient(config);
  try {
    await work(sqs, config.RESOURCE_PREFIX);
  } finally {
    sqs.destroy();
  }
}

async function seed(io: ProgramIo, demo: boolean) {
  await withDatabase(io.env, async (db) => {
    await seedReferenceData(db);
    io.out("reference data loaded");
    if (demo) {
      await seedDemoData(db);
      io.out("demo data loaded");
    }
  });
}
