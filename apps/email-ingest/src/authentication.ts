// Did the sender's domain vouch for this mail? Combines SES receipt verdicts (SPF, DKIM,
// DMARC, spam, virus) with `Authentication-Results` headers (RFC 8601) and the
// `X-SES-*-Verdict` headers SES adds to stored mail. A failing check rejects the mail;
// only a mail that positively passed may be answered when its sender is unknown.
import type { Verdicts } from "@isikhnas/contracts";

export type AuthenticationStatus =
  /** At least one of SPF, DKIM, DMARC passed and nothing failed. */
  | { kind: "passed" }
  /** Nothing said either way (a Postfix host without an authentication milter). */
  | { kind: "unknown" }
  | { kind: "failed"; reason: string };

export interface AuthenticationEvidence {
  verdicts: Verdicts;
  /** Raw `Authentication-Results` header values, topmost first. */
  authenticationResults: readonly string[];
  /** Raw `X-SES-Spam-Verdict` / `X-SES-Virus-Verdict` values. */
  sesSpamVerdict?: string | undefined;
  sesVirusVerdict?: string | undefined;
  /** Only results from this authserv-id count (the receiving MTA's own); all when unset. */
  trustedAuthservId?: string | undefined;
}

const IDENTITY_METHODS = ["spf", "dkim", "dmarc"] as const;
/** RFC 8601 results that mean the check ran and the mail did not pass it. */
const FAILING_RESULTS = new Set(["fail", "permerror"]);

interface Finding {
  method: string;
  result: string;
}

/** `mx.example.org; spf=pass smtp.mailfrom=a@b; dkim=fail (bad sig) header.d=b` → method/result pairs. */
export function parseAuthenticationResults(value: string): { authservId: string; findings: Finding[] } {
  // Comments in parentheses may hold semicolons and equals signs of their own.
  const withoutComments = value.replace(/\([^()]*\)/g, " ");
  const [authservPart = "", ...clauses] = withoutComments.split(";");
  const authservId = authservPart.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  const findings: Finding[] = [];
  for (const clause of clauses) {
    const match = /^\s*([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(clause);
    if (match?.[1] && match[2])
      findings.push({ method: match[1].toLowerCase(), result: match[2].toLowerCase() });
  }
  return { authservId, findings };
}

export function assessAuthentication(evidence: AuthenticationEvidence): AuthenticationStatus {
  const findings: Finding[] = [];
  for (const [method, status] of Object.entries(evidence.verdicts)) {
    if (status) findings.push({ method, result: status.toLowerCase() });
  }
  const trusted = evidence.trustedAuthservId?.toLowerCase();
  for (const header of evidence.authenticationResults) {
    const parsed = parseAuthenticationResults(header);
    if (trusted && parsed.authservId !== trusted) continue;
    findings.push(...parsed.findings);
  }
  if (evidence.sesSpamVerdict)
    findings.push({ method: "spam", result: evidence.sesSpamVerdict.trim().toLowerCase() });
  if (evidence.sesVirusVerdict)
    findings.push({ method: "virus", result: evidence.sesVirusVerdict.trim().toLowerCase() });

  const failures = findings.filter((finding) => FAILING_RESULTS.has(finding.result));
  if (failures.length > 0) {
    const reason = [...new Set(failures.map((finding) => `${finding.method}=${finding.result}`))].join(", ");
    return { kind: "failed", reason };
  }
  const passed = findings.some(
    (finding) =>
      (IDENTITY_METHODS as readonly string[]).includes(finding.method) && finding.result === "pass",
  );
  return passed ? { kind: "passed" } : { kind: "unknown" };
}
