// pino JSON logs to stdout (journald collects them). Personal data is masked and
// secrets are redacted before anything is written.
import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger } from "pino";

const PHONE = /\+?\b(?:62|0)8\d{6,12}\b|\+\d{8,15}\b/g;
const EMAIL = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;

/** `6281234567890` → `62812*****890`: enough to tell numbers apart in a log, not to dial. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return "*".repeat(phone.length);
  return `${phone.slice(0, 5)}${"*".repeat(phone.length - 8)}${phone.slice(-3)}`;
}

/** `budi.santoso@example.id` → `b***@example.id`. */
export function maskEmail(address: string): string {
  return address.replace(EMAIL, (_all, first: string, domain: string) => `${first}***@${domain}`);
}

/** Masks every phone number and e-mail address inside free text. */
export function maskPersonalData(text: string): string {
  return maskEmail(text).replace(PHONE, (match) => maskPhone(match));
}

const REDACT = [
  "password",
  "secret",
  "token",
  "authorization",
  "*.password",
  "*.secret",
  "*.token",
  "*.authorization",
  "*.databaseUrl",
  "*.body",
  "*.text",
  "*.html",
];

export interface LoggerSettings {
  name: string;
  level?: string;
  /** Where to write; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: pino.DestinationStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name: settings.name,
    level: settings.level ?? "info",
    base: { service: settings.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: "[redacted]" },
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      // Mask addresses in the message and in string fields at the top level of a line.
      logMethod(args, method) {
        const masked = args.map((arg) => {
          if (typeof arg === "string") return maskPersonalData(arg);
          if (arg && typeof arg === "object" && !(arg instanceof Error)) {
            const copy: Record<string, unknown> = {};
            for (const [key, value] of Object.entries(arg)) {
              copy[key] = typeof value === "string" ? maskPersonalData(value) : value;
            }
            return copy;
          }
          return arg;
        });
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** A child logger carrying the correlation id that travels with queue messages. */
export function withCorrelation(logger: Logger, correlationId: string, extra: Record<string, unknown> = {}) {
  return logger.child({ correlationId, ...extra });
}
