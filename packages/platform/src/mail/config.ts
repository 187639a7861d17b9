// Settings of the mailer: which transport carries outgoing mail and as whom it is sent.
import { z } from "zod";

export const mailSchema = z.object({
  /** "ses" on AWS; "smtp" for on-premises installs with their own relay. */
  MAIL_TRANSPORT: z.enum(["ses", "smtp"]).default("ses"),
  /** Default sender, e.g. `iSIKHNAS <noreply@isikhnas.example>`. */
  MAIL_FROM: z.string().min(3).includes("@", { message: "must contain an e-mail address" }),
  /** smtp://user:pass@host:587 or smtps://…:465; required when MAIL_TRANSPORT=smtp. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  /**
   * An SMTP relay that does not connect, or does not greet, within this long is given up on
   * (nodemailer would wait two minutes, then 30 s).
   */
  SMTP_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** An SMTP connection silent this long is dropped (nodemailer would wait ten minutes). */
  SMTP_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** SES configuration set for delivery, bounce and complaint events. */
  SES_CONFIGURATION_SET: z.string().optional(),
});

export type MailConfig = z.output<typeof mailSchema>;
