// Excel workbooks: blank templates, the guarded streaming reader, validation of rows
// against a template definition, and the error workbook sent back to the sender.
export { blankTemplate, UnknownTemplateError } from "./blank-template.js";
export { type CellInput, displayCell, toCellInput } from "./cells.js";
export { type ContainerReport, inspectContainer } from "./container.js";
export {
  columnLetter,
  ERROR_FILL_ARGB,
  ERROR_SUMMARY_SHEET,
  type ErrorWorkbookInput,
  writeErrorWorkbook,
} from "./error-workbook.js";
export { type CellError, ErrorCollector } from "./errors.js";
export { DEFAULT_LIMITS, type WorkbookLimits } from "./limits.js";
export { isWorkbookRejected, type WorkbookProblemCode, WorkbookRejected } from "./problems.js";
export { type SheetRow, type StreamedSheet, streamSheets } from "./reader.js";
export {
  cellError,
  normaliseHeader,
  type ReadSummary,
  type SheetLayout,
  type TemplateEvent,
  type TemplateMetadata,
  type TemplateReadOptions,
  TemplateRowReader,
  type ValidRow,
} from "./template-reader.js";
export {
  generateTemplate,
  type Language,
  type ReferenceCode,
  type TemplateContent,
} from "./template-workbook.js";
export { type CodeLists, type ColumnValue, type Conversion, convertCell } from "./values.js";
