import { describe, expect, it } from "vitest";
import { parseMailInboundMessage } from "./inbound-handler.js";

describe("parseMailInboundMessage", () => {
  it("takes S3's test event, sent when notifications are configured, as no mail", () => {
    expect(parseMailInboundMessage({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: "x" })).toEqual({
      ok: true,
      value: [],
    });
  });

  it("says why a message is neither shape, so the consumer can dead-letter it with a reason", () => {
    const parsed = parseMailInboundMessage({ hello: "world" });
    expect(parsed).toEqual({ ok: false, reason: "neither an SNS notification nor an S3 event" });
  });
});
