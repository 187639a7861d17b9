// Every report the system sends, by its reportrequest code.
import type { ReportKind } from "@isikhnas/contracts";
import type { ReportDefinition } from "../definition.js";
import { casesWithoutOutcome } from "./cases-without-outcome.js";
import { districtCaseSummary } from "./district-case-summary.js";
import { labClientReport } from "./lab-client-report.js";
import { priorityDigest } from "./priority-digest.js";
import { productionSummary } from "./production-summary.js";
import { silentReporters } from "./silent-reporters.js";

export const REPORT_DEFINITIONS: Readonly<Record<ReportKind, ReportDefinition>> = {
  "priority-digest": priorityDigest,
  "cases-without-outcome": casesWithoutOutcome,
  "district-case-summary": districtCaseSummary,
  "production-summary": productionSummary,
  "lab-client-report": labClientReport,
  "silent-reporters": silentReporters,
};

export function findReport(code: string): ReportDefinition | undefined {
  return Object.hasOwn(REPORT_DEFINITIONS, code) ? REPORT_DEFINITIONS[code as ReportKind] : undefined;
}
