// The whole local stack, process by process, for one test file's stack: email-ingest's
// Postfix pipe, excel-processor and email-sender as child processes of their own, mail
// composed and read as a person's mail client would, workbooks from the blank template.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { keepDaemonLog } from "@isikhnas/devstack";
import { createTestStack, type SentMail, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS, type DemoUserType, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { blankTemplate } from "@isikhnas/workbooks";
import { readWorkbook } from "@isikhnas/workbooks/testing";
import type ExcelJS from "exceljs";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { stopProcess } from "./process.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const INGEST_ADDRESS = "laporan@isikhnas.example";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** The processor's minimum: a message held by a killed processor comes back after this. */
export const VISIBILITY_SECONDS = 30;

type App = "email-ingest" | "excel-processor" | "email-sender" | "report-generator";

export interface UploadRow {
  id: string;
  status: string;
  row_count: number | null;
  error_count: number | null;
  answer_sent_at: Date | null;
}

export interface Pipeline {
  stack: TestStack;
  db: Database;
  startProcessor(): ChildProcess;
  /** report-generator on reportrequest (its schedule off: only what is asked for). */
  startReportGenerator(): ChildProcess;
  /** Pipes a raw mail into `email-ingest pipe` as Postfix's pipe(8) does; resolves to its exit status. */
  pipeMail(raw: Buffer): Promise<number | null>;
  senderAddress(user: DemoUserType): Promise<string>;
  vaccinationWorkbook(rows: unknown[][]): Promise<Buffer>;
  answersTo(address: string, count?: number): Promise<SentMail[]>;
  uploadsFrom(address: string): Promise<UploadRow[]>;
  count(sql: string, values?: unknown[]): Promise<number>;
  /** Kills every process it started, drops the database. */
  close(): Promise<void>;
}

/** A raw RFC 5322 mail from `from` to the ingest address with the workbook attached. */
export function rawMail(from: string, workbook: Buffer, filename: string): Promise<Buffer> {
  return new MailComposer({
    from,
    to: INGEST_ADDRESS,
    subject: "Laporan vaksinasi",
    text: "Terlampir rekap vaksinasi.",
    messageId: `<${randomUUID()}@mail.e2e.example>`,
    attachments: [{ filename, content: workbook, contentType: XLSX }],
  })
    .compile()
    .build();
}

export interface PipelineOptions {
  /**
   * Keep each process's log lines (at info) in `<logDir>/<app>.jsonl`, as `npm start` does,
   * instead of on the test's output.
   */
  logDir?: string;
}

/** A fresh stack with reference and demo data, and email-sender already running on it. */
export async function openPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const { logDir } = options;
  const stack = await createTestStack();
  await stack.provision({ visibilityTimeoutSeconds: VISIBILITY_SECONDS });
  const db = stack.openDatabase({ poolMax: 3, statementTimeoutMs: 30_000 });
  await seedReferenceData(db);
  await seedDemoData(db);
  const env = {
    PATH: process.env.PATH,
    ...stack.env,
    INGEST_ADDRESS_LIVE: INGEST_ADDRESS,
    MAIL_FROM: `iSIKHNAS <${INGEST_ADDRESS}>`,
    ...(logDir ? { LOG_LEVEL: "info" } : {}),
  };
  const running = new Set<ChildProcess>();
  let addresses = 0;

  function startApp(app: App, args: string[] = [], extra: Record<string, string> = {}): ChildProcess {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", `${repoRoot}apps/${app}/src/main.ts`, ...args],
      // Log lines (stdout) follow TEST_LOG_LEVEL; a crash's stack trace (stderr) always shows.
      {
        cwd: repoRoot,
        env: { ...env, ...extra },
        stdio: logDir ? ["pipe", "pipe", "pipe"] : ["pipe", "inherit", "inherit"],
      },
    );
    if (logDir) {
      // Both streams, as `npm start` keeps them (the Postfix pipe logs to stderr); a crash's
      // stack trace still shows in the test's output.
      keepDaemonLog([child.stdout, child.stderr], join(logDir, `${app}.jsonl`), (line) => {
        if (!line.startsWith("{")) process.stderr.write(`[${app}] ${line}\n`);
      });
    }
    running.add(child);
    child.once("exit", () => running.delete(child));
    return child;
  }

  async function count(sql: string, values: unknown[] = []): Promise<number> {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) counted`, values);
    return rows[0]?.n ?? Number.NaN;
  }

  startApp("email-sender", [], { EMAILOUTPUT_VISIBILITY_SECONDS: "10" });

  return {
    stack,
    db,
    count,
    startProcessor: () =>
      startApp("excel-processor", [], { EMAILINPUT_VISIBILITY_SECONDS: String(VISIBILITY_SECONDS) }),
    startReportGenerator: () =>
      startApp("report-generator", [], { REPORT_SCHEDULES: "false", REPORT_REPLICA_RETRY_SECONDS: "1" }),

    async pipeMail(raw) {
      const child = startApp("email-ingest", ["pipe", "--recipient", INGEST_ADDRESS]);
      const exited = once(child, "exit");
      child.stdin?.end(raw);
      const [code] = (await exited) as [number | null];
      return code;
    },

    /**
     * Gives a demo user an e-mail address of this test alone. The SES emulator's store is
     * one for the whole run and keeps no In-Reply-To, so the recipient is what tells this
     * test's answers apart from everyone else's.
     */
    async senderAddress(user) {
      addresses += 1;
      const [local, domain] = DEMO_USERS[user].email.split("@");
      const address = `${local}+${stack.id}-${addresses}@${domain}`;
      await db.query(
        `UPDATE contacts SET address = $2
          WHERE channel = 'email'
            AND user_id = (SELECT user_id FROM contacts WHERE channel = 'sms' AND address = $1)`,
        [DEMO_USERS[user].phone, address],
      );
      return address;
    },

    /** The blank vaccination tally as the system hands it out, filled in as a person would. */
    async vaccinationWorkbook(rows) {
      const book = await readWorkbook(await blankTemplate(db, "vaccination_tally", "id"));
      const sheet = book.getWorksheet("Vaksinasi");
      if (!sheet) throw new Error("the blank template has no Vaksinasi sheet");
      rows.forEach((values, index) => {
        values.forEach((value, column) => {
          sheet.getCell(index + 2, column + 1).value = value as ExcelJS.CellValue;
        });
      });
      return Buffer.from(await book.xlsx.writeBuffer());
    },

    answersTo(address, wanted = 1) {
      return waitFor(
        async () => {
          const mails = await stack.mailbox.to(address);
          return mails.length >= wanted ? mails : undefined;
        },
        { timeoutMs: 60_000, description: `${wanted} answer(s) to ${address}` },
      );
    },

    async uploadsFrom(address) {
      const { rows } = await db.query<UploadRow>(
        `SELECT id, status, row_count, error_count, answer_sent_at FROM uploads
          WHERE sender_address = $1 ORDER BY id`,
        [address],
      );
      return rows;
    },

    async close() {
      await Promise.all([...running].map((child) => stopProcess(child, "SIGKILL")));
      await stack.close();
    },
  };
}
