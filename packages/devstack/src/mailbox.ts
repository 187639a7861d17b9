// Reads the mail the SES emulator "sent" (GET /store), to assert on it or show it.

export interface SentMailAttachment {
  filename?: string;
  contentType?: string;
  size?: number;
  /** Base64 content as the emulator reports it. */
  content?: string;
}

export interface SentMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: SentMailAttachment[];
  replyTo?: string[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds. */
  at: number;
}

export class Mailbox {
  constructor(readonly sesEndpoint: string) {}

  async list(): Promise<SentMail[]> {
    const response = await fetch(`${this.sesEndpoint}/store`);
    if (!response.ok) throw new Error(`SES emulator store answered ${response.status}`);
    const store = (await response.json()) as { emails: SentMail[] };
    return store.emails;
  }

  /** Mail addressed (to, cc or bcc) to `address`. */
  async to(address: string): Promise<SentMail[]> {
    const wanted = address.toLowerCase();
    const mails = await this.list();
    return mails.filter((mail) =>
      [...mail.destination.to, ...mail.destination.cc, ...mail.destination.bcc].some((to) =>
        to.toLowerCase().includes(wanted),
      ),
    );
  }
}
