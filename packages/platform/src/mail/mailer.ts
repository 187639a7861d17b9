// Sends outgoing mail: through SES as a raw MIME message on AWS, or through an SMTP relay
// on premises. Both build the message with nodemailer, so a mail looks the same either way.
import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { ConfigError } from "../config/load.js";
import type { MailConfig } from "./config.js";
import { classifySesError, classifySmtpError } from "./errors.js";
import {
  closeAttachments,
  composeMessage,
  type OutgoingMail,
  openAttachments,
  toMailOptions,
} from "./message.js";

export interface MailReceipt {
  /** The id the transport gave the message (SES MessageId, or the SMTP Message-ID header). */
  messageId: string;
}

export interface Mailer {
  /** Throws PlatformError TRANSIENT (retry later), PERMANENT or PAYLOAD_TOO_LARGE (do not). */
  send(mail: OutgoingMail, signal?: AbortSignal): Promise<MailReceipt>;
  close(): Promise<void>;
}

/** SES v2 takes a raw message of at most 40 MB (after encoding). */
export const SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SesMailerOptions {
  defaultFrom: string;
  configurationSet?: string | undefined;
  maxMessageBytes?: number;
}

export function createSesMailer(deps: { ses: SESv2Client }, options: SesMailerOptions): Mailer {
  const maxBytes = options.maxMessageBytes ?? SES_MAX_MESSAGE_BYTES;
  return {
    async send(mail, signal) {
      signal?.throwIfAborted();
      // The SES API takes the message as one blob, so it is built in memory; the size cap
      // stops reading attachments as soon as the message could not be sent anyway.
      const raw = await composeMessage(mail, { defaultFrom: options.defaultFrom, maxBytes });
      try {
        const output = await deps.ses.send(
          new SendEmailCommand({
            Content: { Raw: { Data: raw } },
            ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
          }),
          { abortSignal: signal },
        );
        return { messageId: output.MessageId ?? "" };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw classifySesError(error);
      }
    },
    async close() {},
  };
}

export interface SmtpMailerOptions {
  defaultFrom: string;
  /** smtp://user:pass@host:port or smtps://… */
  url: string;
  /** Extra nodemailer SMTP options (TLS, timeouts); one connection per mail, no pool. */
  transport?: SMTPTransport.Options;
}

export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  // Built here rather than by createTransport, which, given a `url`, drops every other
  // option (the timeouts among them); the transport itself merges the two.
  const transporter = nodemailer.createTransport(
    new SMTPTransport({ ...options.transport, url: options.url }),
  );
  return {
    async send(mail, signal) {
      signal?.throwIfAborted();
      const opened = await openAttachments(mail);
      try {
        // nodemailer's SMTP transport has no cancellation; the signal is honoured before sending.
        const info = await transporter.sendMail(toMailOptions(opened, options.defaultFrom));
        return { messageId: info.messageId };
      } catch (error) {
        closeAttachments(opened);
        throw classifySmtpError(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** The mailer the configuration asks for. */
export function createMailer(config: MailConfig, deps: { ses: SESv2Client }): Mailer {
  if (config.MAIL_TRANSPORT === "smtp") {
    if (!config.SMTP_URL) throw new ConfigError(["SMTP_URL: is required when MAIL_TRANSPORT=smtp"]);
    return createSmtpMailer({
      defaultFrom: config.MAIL_FROM,
      url: config.SMTP_URL,
      transport: {
        connectionTimeout: config.SMTP_CONNECT_TIMEOUT_MS,
        greetingTimeout: config.SMTP_CONNECT_TIMEOUT_MS,
        socketTimeout: config.SMTP_SOCKET_TIMEOUT_MS,
      },
    });
  }
  return createSesMailer(deps, {
    defaultFrom: config.MAIL_FROM,
    configurationSet: config.SES_CONFIGURATION_SET,
  });
}
