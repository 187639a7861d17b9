// Versioned zod schemas of every queue message: the only thing apps share about each other.
export { type CatalogQueue, type MessageInputOf, type MessageOf, messageCatalog } from "./catalog.js";
export {
  BUCKETS,
  type BucketRef,
  bucketRef,
  type Environment,
  emailAddress,
  environment,
  idempotencyKey,
  sha256Hex,
} from "./common.js";
export { type EmailInput, type EmailInputV1, emailInput, emailInputV1 } from "./email-input.js";
export {
  type EmailAttachment,
  type EmailOutput,
  type EmailOutputV1,
  emailAttachment,
  emailOutput,
  emailOutputV1,
  MAX_INLINE_RECIPIENTS,
} from "./email-output.js";
export {
  type InboundMailRef,
  type MailInboundParseResult,
  parseMailInbound,
  type SesReceiptNotification,
  s3EventNotification,
  sesReceiptNotification,
  snsEnvelope,
  type Verdicts,
} from "./mail-inbound.js";
export {
  type ReportKind,
  type ReportRequest,
  type ReportRequestV1,
  reportKind,
  reportRequest,
  reportRequestV1,
} from "./report-request.js";
