import { describe, expect, it } from "vitest";
import { assessAuthentication, parseAuthenticationResults } from "./authentication.js";

describe("parseAuthenticationResults", () => {
  it("reads method=result pairs and ignores comments holding semicolons", () => {
    const parsed = parseAuthenticationResults(
      "mx.isikhnas.id; spf=pass (sender SPF authorized; ok=yes) smtp.mailfrom=a@b.id; dkim=fail (bad signature) header.d=b.id; dmarc=fail",
    );
    expect(parsed.authservId).toBe("mx.isikhnas.id");
    expect(parsed.findings).toEqual([
      { method: "spf", result: "pass" },
      { method: "dkim", result: "fail" },
      { method: "dmarc", result: "fail" },
    ]);
  });
});

describe("assessAuthentication", () => {
  it("fails on any failing SES verdict, naming it", () => {
    const status = assessAuthentication({
      verdicts: { spf: "PASS", dkim: "FAIL", dmarc: "FAIL", spam: "PASS", virus: "PASS" },
      authenticationResults: [],
    });
    expect(status).toEqual({ kind: "failed", reason: "dkim=fail, dmarc=fail" });
  });

  it("fails on a virus verdict from the X-SES header", () => {
    expect(
      assessAuthentication({ verdicts: {}, authenticationResults: [], sesVirusVerdict: "FAIL" }).kind,
    ).toBe("failed");
  });

  it("passes when an identity check passed and nothing failed; GRAY is neutral", () => {
    expect(
      assessAuthentication({ verdicts: { spf: "GRAY", dkim: "PASS" }, authenticationResults: [] }).kind,
    ).toBe("passed");
  });

  it("is unknown without any evidence", () => {
    expect(assessAuthentication({ verdicts: {}, authenticationResults: [] }).kind).toBe("unknown");
  });

  it("counts only the trusted authserv-id when one is configured", () => {
    const evidence = {
      verdicts: {},
      authenticationResults: ["forged.example; dmarc=fail", "mx.isikhnas.id; dkim=pass"],
      trustedAuthservId: "mx.isikhnas.id",
    };
    expect(assessAuthentication(evidence).kind).toBe("passed");
  });
});
