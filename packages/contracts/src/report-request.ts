// reportrequest: a report to build (schedules, excel-processor → report-generator).
import { z } from "zod";
import { emailAddress, environment, idempotencyKey } from "./common.js";

export const reportKind = z.enum([
  "priority-digest",
  "cases-without-outcome",
  "district-case-summary",
  "production-summary",
  "lab-client-report",
  "silent-reporters",
]);
export type ReportKind = z.infer<typeof reportKind>;

export const reportRequestV1 = z.object({
  type: z.literal("reportrequest"),
  version: z.literal(1),
  /** Report id + period (or the upload and submission for ad hoc reports). */
  id: idempotencyKey,
  environment,
  report: reportKind,
  period: z
    .object({ from: z.iso.date(), to: z.iso.date() })
    .refine((period) => period.from <= period.to, { message: "`from` must not be after `to`" })
    .optional(),
  /** Report-specific parameters, e.g. `{ submissionId: 42 }` or `{ district: "7206" }`. */
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Who receives the report; scheduled reports resolve recipients themselves. */
  recipients: z.array(emailAddress).max(50).default([]),
  /** When the report answers a mail: its Message-ID. */
  inReplyTo: z.string().max(998).optional(),
});
export type ReportRequestV1 = z.infer<typeof reportRequestV1>;

export const reportRequest = z.discriminatedUnion("version", [reportRequestV1]);
export type ReportRequest = z.infer<typeof reportRequest>;
