// Building a report from its definition: the queries (assemble) and the files (render).
export {
  type AssembledReport,
  assembleReport,
  describePeriod,
  type ReportContext,
  type ReportSource,
} from "./assemble.js";
export { folderSink } from "./folder-sink.js";
export {
  CONTENT_TYPES,
  type RenderedReport,
  type ReportSink,
  renderReport,
  type StoredFile,
} from "./render.js";
export { type OpenReportSource, openReportSource } from "./source.js";
