// The local stack: emulators, PostgreSQL and the helpers `npm start` and tests share.
export { type RunningEmulators, type StartEmulatorsOptions, startEmulators } from "./emulators.js";
export { commonDaemonEnv } from "./local/environment.js";
export { localLayout } from "./local/layout.js";
export { ensureCanaryUser, prepareDatabase, startLocalStack } from "./local/stack.js";
export { daemonLogFileName, type KeptLog, keepDaemonLog } from "./logs/files.js";
export { Mailbox, type SentMail, type SentMailAttachment } from "./mailbox.js";
export {
  createDatabase,
  databaseUrlFor,
  dropDatabase,
  freePort,
  type RunningPostgres,
  type StartPostgresOptions,
  startPostgres,
} from "./postgres.js";
export {
  type ApiCall,
  FakeBotApi,
  type FakeBotApiOptions,
  type FakeUpdate,
  type FakeUser,
  type InjectedAnswer,
  type SentMessage,
} from "./telegram/fake-bot-api.js";
export { type WaitOptions, waitFor } from "./wait.js";
