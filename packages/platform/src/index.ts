// The platform: queue, bucket, mailer, db, config, logger and runtime. Knows nothing of
// animals or SMS codes.
export { createS3Client, createSesClient, createSqsClient } from "./aws/clients.js";
export { type BackoffOptions, backoff } from "./backoff.js";
export {
  type Bucket,
  type BucketDeps,
  type BucketObject,
  type BucketOptions,
  type Buckets,
  createBucket,
  createBuckets,
  MIN_PART_SIZE_BYTES,
  type ObjectBody,
  type ObjectInfo,
  type PutOptions,
  type StoredObject,
} from "./bucket/bucket.js";
export { classifyS3Error } from "./bucket/errors.js";
export {
  type AwsConfig,
  awsSchema,
  type DatabaseConfig,
  databaseSchema,
  environmentSchema,
  type HttpConfig,
  httpSchema,
  loggingSchema,
  type TrainingDatabaseConfig,
  trainingDatabaseSchema,
} from "./config/common.js";
export { booleanFromEnv, ConfigError, type Env, listFromEnv, parseConfig } from "./config/load.js";
export {
  createDatabase,
  type Database,
  type PreparedStatement,
  prepared,
  type Queryable,
  queryAndCommit,
  type Transaction,
  type TransactionOptions,
} from "./db/database.js";
export { createDatabases, type Databases, type DatabasesConfig } from "./db/databases.js";
export { type MigrateOptions, type MigrationResult, migrate } from "./db/migrate.js";
export { countRoundTrips, type RoundTripCounter } from "./db/round-trips.js";
export { type ErrorCode, isPlatformError, PlatformError, toError } from "./errors.js";
export {
  createLogger,
  type Logger,
  type LoggerSettings,
  maskEmail,
  maskPersonalData,
  maskPhone,
  withCorrelation,
} from "./logger.js";
export { type MailConfig, mailSchema } from "./mail/config.js";
export { classifySesError, classifySmtpError } from "./mail/errors.js";
export {
  createMailer,
  createSesMailer,
  createSmtpMailer,
  type Mailer,
  type MailReceipt,
  SES_MAX_MESSAGE_BYTES,
  type SesMailerOptions,
  type SmtpMailerOptions,
} from "./mail/mailer.js";
export { composeMessage, type OutgoingAttachment, type OutgoingMail } from "./mail/message.js";
export {
  type ProvisionedQueue,
  type ProvisionOptions,
  provisionBucket,
  provisionQueue,
  provisionResources,
} from "./provision.js";
export {
  type DeadLetter,
  type ListDeadLettersOptions,
  listDeadLetters,
  type QueueStats,
  queueStats,
  type RedriveOptions,
  type RedriveResult,
  redrive,
} from "./queue/admin.js";
export {
  cloudWatchQueueAges,
  createQueueAges,
  emulatorQueueAges,
  QUEUE_AGE_SOURCES,
  type QueueAgeSource,
  type QueueAges,
} from "./queue/ages.js";
export { CORRELATION_ID, DEAD_LETTER_REASON, MAX_MESSAGE_BYTES } from "./queue/attributes.js";
export {
  type CatalogConsumerOptions,
  type ConsumerDeps,
  type ConsumerOptions,
  createConsumer,
  type HandlerContext,
  type MessageHandler,
  QueueConsumer,
} from "./queue/consumer.js";
export { classifyFailure, type Outcome, outcome } from "./queue/outcome.js";
export type { MessageParser, ParseResult } from "./queue/parse.js";
export {
  type BatchFailure,
  BatchSendError,
  createProducer,
  type ProducerDeps,
  type ProducerOptions,
  QueueProducer,
  type SendOptions,
  type SentMessage,
} from "./queue/producer.js";
export { deadLetterQueueUrl, queueUrl } from "./queue/urls.js";
export {
  BUCKETS,
  type BucketName,
  DEFAULT_MAX_RECEIVE_COUNT,
  deadLetterQueueName,
  physicalBucketName,
  physicalQueueName,
  QUEUES,
  type QueueName,
} from "./resources.js";
export {
  type ComposeDaemonOptions,
  type ComposedDaemon,
  composeDaemon,
  type DaemonPart,
  type QueueDaemonOptions,
  queueDaemon,
  queueReachable,
} from "./runtime/compose.js";
export {
  type HealthServer,
  type HealthServerOptions,
  type ReadinessCheck,
  startHealthServer,
} from "./runtime/http.js";
export {
  type Daemon,
  EXIT_CONFIG,
  loadConfigOrExit,
  type RunDaemonOptions,
  runDaemon,
} from "./runtime/lifecycle.js";
export { createMetrics, type Metrics } from "./runtime/metrics.js";
