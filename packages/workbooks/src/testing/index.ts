// Test helpers for workbooks (`@isikhnas/workbooks/testing`): builders of workbooks as
// senders fill them in, a reader for the ones sent back, and a scratch directory.
export {
  LAB_SUBMISSIONS_HEADER,
  metadata,
  readWorkbook,
  type Scratch,
  type SheetSpec,
  scratchDir,
  slaughterMetadata,
  TEST_CODE_LISTS,
  VACCINATION_HEADER,
  vaccinationRows,
  workbookBuffer,
} from "./workbooks.js";
