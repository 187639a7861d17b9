import {
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESv2ServiceException,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { describe, expect, it } from "vitest";
import { PlatformError } from "../errors.js";
import { classifySesError, classifySmtpError } from "./errors.js";

const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe("classifySesError", () => {
  it.each([
    ["TooManyRequestsException", new TooManyRequestsException({ message: "slow down", ...metadata(429) })],
    ["LimitExceededException", new LimitExceededException({ message: "daily quota", ...metadata(400) })],
    [
      "Throttling",
      new SESv2ServiceException({ name: "Throttling", $fault: "client", message: "rate", ...metadata(400) }),
    ],
    [
      "503 without a known name",
      new SESv2ServiceException({
        name: "ServiceUnavailable",
        $fault: "server",
        message: "",
        ...metadata(503),
      }),
    ],
    [
      "500",
      new SESv2ServiceException({ name: "InternalFailure", $fault: "server", message: "", ...metadata(500) }),
    ],
    ["a socket error", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })],
    ["a thrown string", "boom"],
  ])("treats %s as transient", (_label, error) => {
    const classified = classifySesError(error);
    expect(classified).toBeInstanceOf(PlatformError);
    expect(classified.code).toBe("TRANSIENT");
    expect(classified.cause).toBe(error);
  });

  it.each([
    ["MessageRejected", new MessageRejected({ message: "Email address is not verified.", ...metadata(400) })],
    [
      "MailFromDomainNotVerifiedException",
      new MailFromDomainNotVerifiedException({ message: "not verified", ...metadata(400) }),
    ],
    [
      "BadRequestException",
      new BadRequestException({ message: "Missing final '@domain'", ...metadata(400) }),
    ],
    [
      "an unnamed 400",
      new SESv2ServiceException({ name: "ValidationError", $fault: "client", message: "", ...metadata(400) }),
    ],
  ])("treats %s as permanent", (_label, error) => {
    const classified = classifySesError(error);
    expect(classified.code).toBe("PERMANENT");
    expect(classified.message).toContain(error.name);
  });

  it("keeps an error already classified", () => {
    const tooLarge = new PlatformError("PAYLOAD_TOO_LARGE", "too big");
    expect(classifySesError(tooLarge)).toBe(tooLarge);
  });
});

describe("classifySmtpError", () => {
  it("treats 5xx replies and unusable envelopes as permanent, the rest as transient", () => {
    const reply = (responseCode: number) =>
      Object.assign(new Error(`reply ${responseCode}`), { responseCode });
    expect(classifySmtpError(reply(550)).code).toBe("PERMANENT");
    expect(classifySmtpError(reply(554)).code).toBe("PERMANENT");
    expect(
      classifySmtpError(Object.assign(new Error("No recipients defined"), { code: "EENVELOPE" })).code,
    ).toBe("PERMANENT");
    expect(classifySmtpError(reply(421)).code).toBe("TRANSIENT");
    expect(classifySmtpError(reply(451)).code).toBe("TRANSIENT");
    expect(
      classifySmtpError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ESOCKET" })).code,
    ).toBe("TRANSIENT");
  });

  it("after the go-ahead to DATA, takes silence (a timeout, a dropped connection) as an unknown outcome, a reply as before", () => {
    const timeout = Object.assign(new Error("Timeout"), { code: "ETIMEDOUT", command: "CONN" });
    const after = { dataHandedOver: true };
    expect(classifySmtpError(timeout).code).toBe("TRANSIENT");
    expect(classifySmtpError(timeout, after).code).toBe("OUTCOME_UNKNOWN");
    const reply = (responseCode: number) =>
      Object.assign(new Error(`reply ${responseCode}`), { responseCode, command: "DATA" });
    expect(classifySmtpError(reply(451), after).code).toBe("TRANSIENT");
    expect(classifySmtpError(reply(554), after).code).toBe("PERMANENT");
  });
});
