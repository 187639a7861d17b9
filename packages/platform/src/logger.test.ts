import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskEmail, maskPersonalData, maskPhone, withCorrelation } from "./logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  return { lines, destination };
}

describe("logger", () => {
  it("masks phone numbers and e-mail addresses", () => {
    expect(maskPhone("6281234567890")).toBe("62812*****890");
    expect(maskEmail("budi.santoso@example.id")).toBe("b***@example.id");
    expect(maskPersonalData("from 081234567890 and ani@dinas.go.id")).toBe(
      "from 08123****890 and a***@dinas.go.id",
    );
  });

  it("writes JSON lines with masked fields, redacted secrets and message bodies, and the correlation id", () => {
    const { lines, destination } = capture();
    const logger = withCorrelation(createLogger({ name: "test", destination }), "corr-1");
    logger.info(
      { sender: "6281234567890", password: "hunter2", message: { body: "U mc sp 4" } },
      "sms from 6281234567890",
    );
    expect(lines).toHaveLength(1);
    const line = lines[0] as Record<string, unknown>;
    expect(line).toMatchObject({
      level: "info",
      service: "test",
      correlationId: "corr-1",
      sender: "62812*****890",
    });
    expect(line.password).toBe("[redacted]");
    expect(line.message).toEqual({ body: "[redacted]" });
    expect(line.msg).toBe("sms from 62812*****890");
    expect(JSON.stringify(line)).not.toContain("6281234567890");
  });
});
