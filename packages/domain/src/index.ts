// The business: code lists, locations, users and permissions, the command grammar and
// engine, Excel templates, report definitions.
export { DEFAULT_SYSTEM_TAG, handleInboundMessage } from "./engine/handle.js";
export type {
  EngineOptions,
  Environment,
  InboundChannel,
  InboundMessage,
  InboundResult,
  OutboundChannel,
  QueuedMessage,
} from "./engine/types.js";
export { inboundCorrelationId } from "./engine/types.js";
export {
  COMMAND_CODES,
  type Command,
  type CommandCode,
  type Field,
  type ParseError,
  type ParseResult,
} from "./grammar/ast.js";
export { normaliseText } from "./grammar/normalise.js";
export { LIMITS, parseCommand } from "./grammar/parse.js";
export { imAlertsEnabled, pickAlertChannels } from "./im/alert-channels.js";
export { attachCaseImage, type CaseAccess, type CaseImage, caseAccessFor } from "./im/case-image.js";
export { type LinkOutcome, linkImContact, type UnlinkResult, unlinkImContact } from "./im/link.js";
export { type ImTexts, imTexts } from "./im/texts.js";
export {
  errorReason,
  expireStaleClaims,
  listMailInDoubt,
  type MailInDoubt,
  markInDoubt,
  type OutboundEmailStatus,
} from "./mail/in-doubt.js";
export { type Catalog, catalogs, type Language } from "./messages/catalog.js";
export { gsm7Length, gsmSafe, isGsm7, SMS_SEPTETS } from "./messages/gsm7.js";
export { migrationsDir } from "./migrations.js";
export { isShortCodeOrAlphanumeric, normalisePhone } from "./people/phone.js";
export {
  type ContactChannel,
  type ContactUser,
  findUserByContact,
  type User,
  userMayUpload,
  userMayUploadAny,
} from "./people/queries.js";
export {
  type DailySlaughterRow,
  expectEveryRowWritten,
  type LabOrigin,
  type LabSubmissionsWritten,
  type MonthlySlaughterRow,
  type Origin,
  type PopulationCountRow,
  ReferenceDataChanged,
  type RowSource,
  recordDailySlaughter,
  recordLabSubmissions,
  recordPopulationCounts,
  recordVaccinations,
  replaceMonthlySlaughter,
  type SpecimenRow,
  type VaccinationRow,
} from "./production/index.js";
export { CODE_LISTS, type CodeListSeed } from "./reference/code-lists.js";
export {
  DEMO_INFRASTRUCTURE,
  DEMO_LOCATIONS,
  DEMO_PROGRAMS,
  DEMO_USERS,
  type DemoUser,
  type DemoUserType,
  seedDemoData,
} from "./reference/demo.js";
export {
  DATA_COMMANDS,
  TEMPLATE_CODES,
  TEMPLATES,
  type TemplateCode,
  USER_TYPES,
} from "./reference/people.js";
export { seedReferenceData } from "./reference/seed.js";
export { bindReportSql, type ReportBindings, ReportSqlError } from "./reports/bind.js";
export type {
  ChartType,
  ColumnFormat,
  ColumnSpec,
  ReportDefinition,
  ScopeLevel,
  SectionSpec,
  Sql,
  Text,
} from "./reports/definition.js";
export { say } from "./reports/definition.js";
export { findReport, REPORT_DEFINITIONS } from "./reports/definitions/index.js";
export {
  type Cadence,
  duePeriods,
  isTimeZone,
  type Period,
  parsePeriod,
  periodContaining,
  previousPeriod,
  TIME_ZONES,
  type TimeZone,
} from "./reports/periods.js";
export {
  type Claim,
  claimRun,
  createRuns,
  type DuePeriod,
  deferRun,
  ensureRun,
  findRun,
  finishRun,
  forceRun,
  getRun,
  listRuns,
  markBuilt,
  markScopesListed,
  markSent,
  type NewRun,
  openDuePeriods,
  type ReportRun,
  type RunArtefact,
  type RunOrigin,
  type RunStatus,
  recordFailure,
  releaseRun,
  renewLease,
  takeStaleRuns,
} from "./reports/runs.js";
export { placeTimeZone, submissionTimeZone } from "./reports/time-zones.js";
export {
  type ColumnDefinition,
  type ColumnType,
  codeListsOf,
  findTemplate,
  findTemplateBySheetName,
  type Labels,
  labSubmissions,
  METADATA_SHEET,
  monthlySlaughter,
  REFERENCE_SHEET,
  type ReferenceEntity,
  type RowRule,
  type SheetDefinition,
  type SheetRule,
  sheetNameMatches,
  TEMPLATE_DEFINITIONS,
  type TemplateDefinition,
  userRegistration,
  vaccinationTally,
} from "./templates/index.js";
