// Every channel's corpus: where its files live and how they are made.
import { imCorpus } from "./corpus-im.js";
import { mimeCorpus } from "./corpus-mime.js";
import { reportCorpus } from "./corpus-reports.js";
import { type CorpusFile, smsCorpus } from "./corpus-sms.js";
import { workbookCorpus } from "./corpus-workbooks.js";

export interface Corpus {
  channel: string;
  /** Relative to the repository root, beside the test that replays it. */
  folder: string;
  files(): CorpusFile[] | Promise<CorpusFile[]>;
}

export const CORPORA: readonly Corpus[] = [
  { channel: "sms", folder: "apps/sms-gateway/src/corpus", files: smsCorpus },
  { channel: "mime", folder: "apps/email-ingest/src/corpus", files: mimeCorpus },
  { channel: "workbooks", folder: "apps/excel-processor/src/corpus", files: workbookCorpus },
  { channel: "reports", folder: "apps/report-generator/src/corpus", files: reportCorpus },
  { channel: "im", folder: "apps/im-bridge/src/corpus", files: imCorpus },
];
