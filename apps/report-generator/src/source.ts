// A report's reads on the replica: one snapshot, sheets streamed from a cursor. The
// source lives in @isikhnas/reporting/build, so the operator CLI builds reports the same way.
export {
  type OpenReportSource as OpenSource,
  openReportSource as openReplicaSource,
} from "@isikhnas/reporting/build";
