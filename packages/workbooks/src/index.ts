// Excel workbooks: blank templates, the guarded streaming reader, validation of rows
// against a template definition, and the error workbook sent back to the sender.
export { blankTemplate, UnknownTemplateError } from "./blank-template.js";
export { type ContainerReport, inspectContainer } from "./container.js";
export {
  ERROR_FILL_ARGB,
  ERROR_SUMMARY_SHEET,
  type ErrorWorkbookInput,
  writeErrorWorkbook,
} from "./error-workbook.js";
export { type CellError, ErrorCollector } from "./errors.js";
export { DEFAULT_LIMITS, type WorkbookLimits } from "./limits.js";
export { isWorkbookRejected, type WorkbookProblemCode, WorkbookRejected } from "./problems.js";
export {
  cellError,
  type ReadSummary,
  type SheetLayout,
  type TemplateEvent,
  type TemplateMetadata,
  type TemplateReadOptions,
  TemplateRowReader,
  type ValidRow,
} from "./template-reader.js";
export type { Language } from "./template-workbook.js";
export type { CodeLists, ColumnValue } from "./values.js";
