// The Postfix entry point: a raw mail on stdin, an exit status Postfix understands.
// 0: accepted, or refused with a logged reason (a refusal is final, and exiting non-zero
// would make Postfix bounce it to a possibly forged sender). 75 (EX_TEMPFAIL): the
// database, S3 or SQS failed; Postfix keeps the mail and tries again later.
import { PassThrough, type Readable } from "node:stream";
import {
  answerOversizeMail,
  type IngestDeps,
  type IngestResult,
  ingestStoredMail,
  mailLogger,
  readMail,
} from "./ingest.js";
import { pipedMailKey, storeRawMail } from "./raw-store.js";

export const EX_OK = 0;
export const EX_TEMPFAIL = 75;

export interface PipeOutcome {
  exitCode: typeof EX_OK | typeof EX_TEMPFAIL;
  result?: IngestResult;
}

/** The envelope recipient as Postfix passes it: `--recipient`, then pipe(8)'s or local(8)'s variables. */
export function pipeRecipient(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): string | undefined {
  const flag = argv.findIndex((arg) => arg === "--recipient" || arg === "-r");
  const fromFlag = flag >= 0 ? argv[flag + 1] : argv.find((arg) => arg.startsWith("--recipient="))?.slice(12);
  return fromFlag || env.ORIGINAL_RECIPIENT || env.RECIPIENT || undefined;
}

export async function receivePipedMail(
  deps: IngestDeps,
  input: Readable,
  recipient: string | undefined,
): Promise<PipeOutcome> {
  const now = deps.now?.() ?? new Date();
  const recipients = recipient ? [recipient] : [];
  const key = pipedMailKey(now);
  // The mail is read as it is stored, not read back afterwards; what reading decides is
  // done only once the raw mail is safely in the bucket.
  const reading = new PassThrough();
  const read = readMail(deps, reading, { key, recipients, verdicts: {} }).finally(() =>
    // Whatever reading left unread must not hold up the store.
    reading.destroy(),
  );
  // Its failure counts only once the raw mail is stored (an unreadable mail is ignored then).
  read.catch(() => {});
  try {
    const raw = await storeRawMail(deps.buckets.rawmail, input, {
      key,
      maxBytes: deps.settings.maxMailBytes,
      alsoTo: reading,
    });
    let result: IngestResult;
    if (raw.kind === "too-large") {
      await read.catch(() => {});
      result = await answerOversizeMail(deps, { head: raw.head, size: raw.size, recipients, verdicts: {} });
    } else {
      const commit = await read;
      // Without a Message-ID the stored mail's hash names it: read it again, now it is stored.
      result = commit
        ? await commit()
        : await ingestStoredMail(deps, { ...raw, identity: raw.sha256, recipients, verdicts: {} });
    }
    mailLogger(deps.logger, result).info(
      { ...result, ...(raw.kind === "stored" ? { rawKey: raw.key } : {}) },
      "piped mail handled",
    );
    return { exitCode: EX_OK, result };
  } catch (error) {
    // Whatever failed, the mail is still Postfix's: say "try later" rather than lose it.
    deps.logger.error({ err: error }, "piped mail not handled; Postfix will retry");
    return { exitCode: EX_TEMPFAIL };
  }
}
