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
  /**
   * Throws PlatformError TRANSIENT (retry later), PERMANENT or PAYLOAD_TOO_LARGE (do not),
   * or OUTCOME_UNKNOWN (the relay may have the mail: do not send it again).
   */
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

/**
 * Follows one SMTP conversation through nodemailer's transaction log for the relay's go
 * ahead to DATA (354): from then on the relay may have the mail, whatever happens next.
 * nodemailer's errors do not say this (a socket timeout is reported as CONN at any stage).
 */
function dataWatch(): { logger: SMTPTransport.Options["logger"]; handedOver: () => boolean } {
  let handedOver = false;
  const ignore = () => {};
  return {
    logger: {
      level: ignore,
      trace: ignore,
      info: ignore,
      warn: ignore,
      error: ignore,
      fatal: ignore,
      debug(entry: unknown, message: unknown) {
        const tnx =
          typeof entry === "object" && entry !== null ? (entry as { tnx?: unknown }).tnx : undefined;
        if (tnx === "server" && typeof message === "string" && /^354\b/.test(message)) handedOver = true;
      },
    },
    handedOver: () => handedOver,
  };
}

export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  return {
    async send(mail, signal) {
      signal?.throwIfAborted();
      const opened = await openAttachments(mail);
      // A transport per mail (there is one connection per mail anyway) so that its
      // conversation can be followed. Built here rather than by createTransport, which,
      // given a `url`, drops every other option (the timeouts among them).
      const watch = dataWatch();
      const transporter = nodemailer.createTransport(
        new SMTPTransport({
          ...options.transport,
          url: options.url,
          transactionLog: true,
          logger: watch.logger,
        }),
      );
      try {
        // nodemailer's SMTP transport has no cancellation; the signal is honoured before sending.
        const info = await transporter.sendMail(toMailOptions(opened, options.defaultFrom));
        return { messageId: info.messageId };
      } catch (error) {
        closeAttachments(opened);
        throw classifySmtpError(error, { dataHandedOver: watch.handedOver() });
      } finally {
        transporter.close();
      }
    },
    async close() {},
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
