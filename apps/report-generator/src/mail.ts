// A built run as emailoutput messages: one per language group (50 recipients a message,
// each sent a copy of their own by email-sender), with the charts inline and the PDF and
// workbook attached, or linked when too large to attach. Ids derive from the run, so
// sending twice asks email-sender for the same mails, which it sends once.
import type { Environment, MessageInputOf } from "@isikhnas/contracts";
import { MAX_INLINE_RECIPIENTS } from "@isikhnas/contracts";
import type { ReportRun, RunArtefact } from "@isikhnas/domain";
import type { Bucket } from "@isikhnas/platform";
import { EMAIL_HTML_MAX_CHARS, EMAIL_TEXT_MAX_CHARS, escapeHtml } from "@isikhnas/reporting";
import { CONTENT_TYPES } from "@isikhnas/reporting/build";

type EmailOutput = MessageInputOf<"emailoutput">;

export interface MailSettings {
  environment: Environment;
  attachMaxBytes: number;
  linkDays: number;
}

const LINK_TEXT = {
  id: (days: number) => `File terlalu besar untuk dilampirkan; unduh di sini (berlaku ${days} hari):`,
  en: (days: number) => `Too large to attach; download it here (valid for ${days} days):`,
};

export async function reportMails(
  bucket: Bucket,
  run: ReportRun,
  artefacts: readonly RunArtefact[],
  settings: MailSettings,
): Promise<EmailOutput[]> {
  const mails: EmailOutput[] = [];
  for (const artefact of artefacts) {
    if (artefact.recipients.length === 0) continue;
    const stored = await bucket.get(artefact.body.key);
    const body = JSON.parse(Buffer.concat(await stored.body.toArray()).toString("utf8")) as {
      html: string;
      text: string;
    };
    const attachments: EmailOutput["attachments"] = artefact.charts.map((chart) => ({
      bucket: "reports",
      key: chart.key,
      filename: chart.key.split("/").pop() ?? "chart.png",
      contentType: CONTENT_TYPES.png,
      cid: chart.cid,
    }));
    const links: { filename: string; url: string }[] = [];
    for (const [file, contentType] of [
      [artefact.pdf, CONTENT_TYPES.pdf],
      [artefact.excel, CONTENT_TYPES.xlsx],
    ] as const) {
      if (!file) continue;
      const filename = file.key.split("/").pop() ?? "report";
      if (file.size <= settings.attachMaxBytes) {
        attachments.push({ bucket: "reports", key: file.key, filename, contentType });
      } else {
        const url = await bucket.presignGet(file.key, settings.linkDays * 86_400, {
          downloadFilename: filename,
        });
        links.push({ filename, url });
      }
    }
    const linkLine = LINK_TEXT[artefact.language](settings.linkDays);
    const text = [
      body.text.slice(0, EMAIL_TEXT_MAX_CHARS - 4_000),
      ...links.map((link) => `\n${linkLine}\n${link.filename}: ${link.url}`),
    ].join("\n");
    const linkHtml = links
      .map(
        (link) =>
          `<p style="font-family:sans-serif;font-size:14px">${escapeHtml(linkLine)} <a href="${escapeHtml(link.url)}">${escapeHtml(link.filename)}</a></p>`,
      )
      .join("");
    const html = linkHtml ? insertBeforeBodyEnd(body.html, linkHtml) : body.html;
    for (let index = 0; index * MAX_INLINE_RECIPIENTS < artefact.recipients.length; index += 1) {
      mails.push({
        type: "emailoutput",
        version: 1,
        id: `report:${settings.environment}:${run.reportCode}:${run.period}:${run.scope}:g${run.generation}:${artefact.language}:${index}`,
        environment: settings.environment,
        to: artefact.recipients.slice(index * MAX_INLINE_RECIPIENTS, (index + 1) * MAX_INLINE_RECIPIENTS),
        subject: artefact.subject.slice(0, 998),
        text,
        ...(html.length <= EMAIL_HTML_MAX_CHARS ? { html } : {}),
        ...(run.inReplyTo ? { inReplyTo: run.inReplyTo, references: [run.inReplyTo] } : {}),
        attachments,
      });
    }
  }
  return mails;
}

function insertBeforeBodyEnd(html: string, fragment: string): string {
  const end = html.lastIndexOf("</body>");
  return end < 0 ? html + fragment : html.slice(0, end) + fragment + html.slice(end);
}
