// The console's pages as HTML: one layout, one function a page. Every value goes through
// the escaping template, so what senders typed is shown as text.
import type { ReportRun } from "@isikhnas/domain";
import { type Html, html } from "./html.js";
import type {
  DaemonHealth,
  DeadLetterGroup,
  InboundMail,
  InboundWithReply,
  InDoubt,
  LastMessages,
  MonitorReading,
  QueueOverview,
  Reading,
} from "./readings.js";

export const NAV = [
  { path: "/queues", title: "Queues" },
  { path: "/dead-letters", title: "Dead letters" },
  { path: "/in-doubt", title: "In doubt" },
  { path: "/messages", title: "Messages" },
  { path: "/reports", title: "Report runs" },
  { path: "/daemons", title: "Daemons" },
  { path: "/monitor", title: "Monitor" },
] as const;

export interface PageFrame {
  title: string;
  path?: string;
  csrfToken?: string;
}

export function layout(frame: PageFrame, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · iSIKHNAS ops console</title>
<link rel="stylesheet" href="/static/console.css">
<script src="/static/console.js" defer></script>
</head>
<body>
<header>
  <strong>iSIKHNAS ops console</strong>
  ${
    frame.csrfToken
      ? html`<nav>${NAV.map(
          (item) =>
            html`<a href="${item.path}"${item.path === frame.path ? html` aria-current="page"` : ""}>${item.title}</a>`,
        )}</nav>
  <form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${frame.csrfToken}"><button type="submit">Log out</button></form>`
      : ""
  }
</header>
<main>
<h1>${frame.title}</h1>
${body}
</main>
</body>
</html>
`;
}

export function loginPage(token: string, message?: string): Html {
  return layout(
    { title: "Log in" },
    html`${message ? html`<p class="error" role="alert">${message}</p>` : ""}
<form method="post" action="/login" class="login">
  <input type="hidden" name="_csrf" value="${token}">
  <label>Operator password <input type="password" name="password" autocomplete="current-password" required autofocus></label>
  <button type="submit">Log in</button>
</form>`,
  );
}

function when(date: Date | string | null | undefined): Html | string {
  if (date === null || date === undefined || date === "") return "–";
  const iso = typeof date === "string" ? date : date.toISOString();
  return html`<time datetime="${iso}">${iso.replace("T", " ").replace(/\.\d+Z$/, "Z")}</time>`;
}

function age(seconds: number | undefined): string {
  if (seconds === undefined) return "–";
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

function failed(error: string): Html {
  return html`<p class="error">Could not read this: ${error}</p>`;
}

function panel<T>(reading: Reading<T>, render: (value: T) => Html): Html {
  return reading.ok ? render(reading.value) : failed(reading.error);
}

export function queuesPage(reading: Reading<QueueOverview>): Html {
  return panel(
    reading,
    (overview) => html`<table id="queues">
<thead><tr><th>queue</th><th>waiting</th><th>in flight</th><th>delayed</th><th>oldest message</th><th>dead letters</th></tr></thead>
<tbody>${overview.rows.map(
      (row) => html`<tr data-queue="${row.queue}">
  <td>${row.queue}</td><td class="num depth">${row.depth}</td><td class="num">${row.inFlight}</td><td class="num">${row.delayed}</td>
  <td class="num age">${age(row.oldestAgeSeconds)}</td>
  <td class="num dead">${row.deadLetterDepth > 0 ? html`<a href="/dead-letters#${row.queue}">${row.deadLetterDepth}</a>` : "0"}</td>
</tr>`,
    )}</tbody>
</table>
${overview.agesError ? html`<p class="note">Ages of the oldest messages are not known: ${overview.agesError}</p>` : ""}
<p class="note">Approximate counts, as SQS gives them; a dead-letter depth counts messages not being looked at.</p>`,
  );
}

export interface RedriveOutcome {
  queue: string;
  moved: number;
  failed: number;
}

export function deadLettersPage(
  groups: DeadLetterGroup[],
  csrfToken: string,
  outcome: RedriveOutcome | { queue: string; error: string } | undefined,
): Html {
  return html`${
    outcome === undefined
      ? ""
      : "error" in outcome
        ? html`<p class="error outcome" role="status">Redrive of ${outcome.queue} failed: ${outcome.error}</p>`
        : html`<p class="ok outcome" role="status">Moved ${outcome.moved} message(s) back to ${outcome.queue}${outcome.failed ? `; ${outcome.failed} could not be sent and stay dead-lettered` : ""}.</p>`
  }
<p class="note">Listing peeks at each dead letter (hidden for a second, never removed). Redrive moves every dead letter of a queue back to it: fix the cause first.</p>
${groups.map(
  (group) => html`<section id="${group.queue}" class="dead-letters" data-queue="${group.queue}">
<h2>${group.queue}</h2>
${panel(group.letters, (letters) =>
  letters.length === 0
    ? html`<p>No dead letters.</p>`
    : html`<table>
<thead><tr><th>message</th><th>sent</th><th>receives</th><th>reason</th><th>body</th></tr></thead>
<tbody>${letters.map(
        (letter) => html`<tr class="letter">
  <td><code>${letter.messageId}</code>${letter.correlationId ? html`<br><small>correlation ${letter.correlationId}</small>` : ""}</td>
  <td>${when(letter.sentAt)}</td><td class="num">${letter.receiveCount}</td>
  <td class="reason">${letter.reason ?? "moved by the redrive policy after repeated failures"}</td>
  <td><code class="body">${letter.bodyPreview}</code> <small>(${letter.bodyBytes} bytes)</small></td>
</tr>`,
      )}</tbody>
</table>
<form method="post" action="/dead-letters/redrive" data-confirm="Move every dead letter of ${group.queue} back to ${group.queue}?">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <input type="hidden" name="queue" value="${group.queue}">
  <button type="submit" name="redrive">Redrive ${group.queue}</button>
</form>`,
)}
</section>`,
)}`;
}

export function inDoubtPage(reading: Reading<InDoubt>): Html {
  return panel(
    reading,
    (inDoubt) => html`<section id="mail-in-doubt">
<h2>E-mails in doubt</h2>
<p class="note">Their sender stopped during the SES (or SMTP) call: SES may or may not have sent them, so they are never resent.</p>
${
  inDoubt.mail.length === 0
    ? html`<p>No e-mails in doubt.</p>`
    : html`<table><thead><tr><th>id</th><th>claimed</th><th>recipient</th><th>subject</th><th>message</th><th>reason</th></tr></thead>
<tbody>${inDoubt.mail.map(
        (row) =>
          html`<tr><td class="num">${row.id}</td><td>${when(row.at)}</td><td>${row.recipient}</td><td>${row.subject}</td><td><code>${row.key}</code></td><td>${row.reason ?? "–"}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section id="im-in-doubt">
<h2>IM messages in doubt</h2>
<p class="note">Their <code>sendMessage</code> answer was lost: Telegram may or may not have delivered them; never resent.</p>
${
  inDoubt.im.length === 0
    ? html`<p>No IM messages in doubt.</p>`
    : html`<table><thead><tr><th>id</th><th>at</th><th>chat</th><th>kind</th><th>reason</th></tr></thead>
<tbody>${inDoubt.im.map(
        (row) =>
          html`<tr><td class="num">${row.id}</td><td>${when(row.at)}</td><td>${row.chat}</td><td>${row.kind}</td><td>${row.reason ?? "–"}</td></tr>`,
      )}</tbody></table>`
}
</section>`,
  );
}

function conversation(title: string, id: string, rows: InboundWithReply[]): Html {
  return html`<section id="${id}">
<h2>${title}</h2>
${
  rows.length === 0
    ? html`<p>No messages.</p>`
    : html`<table class="messages"><thead><tr><th>received</th><th>from</th><th>text</th><th>status</th><th>reply</th></tr></thead>
<tbody>${rows.map(
        (row) => html`<tr class="message" data-id="${row.id}">
  <td>${when(row.receivedAt)}${row.environment === "live" ? "" : html`<br><small>${row.environment}</small>`}</td>
  <td>${row.sender}</td><td class="text"><pre>${row.text}</pre></td><td>${row.status}</td>
  <td class="reply">${row.reply ? html`<pre>${row.reply.body}</pre><small>${row.reply.status}${row.reply.sentAt ? html` at ${when(row.reply.sentAt)}` : ""}</small>` : "–"}</td>
</tr>`,
      )}</tbody></table>`
}
</section>`;
}

function mails(rows: InboundMail[]): Html {
  return html`<section id="email">
<h2>E-mail (workbooks)</h2>
${
  rows.length === 0
    ? html`<p>No uploads.</p>`
    : html`<table class="messages"><thead><tr><th>received</th><th>from</th><th>file</th><th>template</th><th>status</th><th>rows / errors</th><th>answer</th></tr></thead>
<tbody>${rows.map(
        (row) => html`<tr class="message" data-id="${row.id}">
  <td>${when(row.receivedAt)}</td><td>${row.sender}</td><td>${row.fileName}</td><td>${row.template ?? "–"}</td>
  <td>${row.status}${row.reason ? html`<br><small>${row.reason}</small>` : ""}</td>
  <td class="num">${row.rows ?? "–"} / ${row.errors ?? "–"}</td><td>${row.answerSentAt ? html`sent ${when(row.answerSentAt)}` : "not yet"}</td>
</tr>`,
      )}</tbody></table>`
}
</section>`;
}

export function messagesPage(reading: Reading<LastMessages>): Html {
  return panel(
    reading,
    (
      last,
    ) => html`<p class="note">The latest 20 of each channel, newest first; phone numbers and addresses masked as in the logs.</p>
${conversation("SMS", "sms", last.sms)}
${conversation("IM (Telegram)", "im", last.im)}
${mails(last.email)}`,
  );
}

export function reportsPage(reading: Reading<ReportRun[]>): Html {
  return panel(reading, (runs) =>
    runs.length === 0
      ? html`<p>No report runs.</p>`
      : html`<table id="report-runs"><thead><tr><th>id</th><th>report</th><th>period</th><th>scope</th><th>gen.</th><th>status</th><th>origin</th><th>attempts</th><th>recipients</th><th>created</th><th>sent</th><th>note</th></tr></thead>
<tbody>${runs.map(
          (run) => html`<tr>
  <td class="num">${run.id}</td><td>${run.reportCode}</td><td>${run.period}</td><td>${run.scope || "–"}</td><td class="num">${run.generation}</td>
  <td class="status-${run.status}">${run.status}</td><td>${run.origin}</td><td class="num">${run.attempts}</td><td class="num">${run.recipientCount}</td>
  <td>${when(run.createdAt)}</td><td>${when(run.sentAt)}</td>
  <td>${run.errorReason ?? ""}${run.forcedReason ? html`<br><small>re-run: ${run.forcedReason}</small>` : ""}</td>
</tr>`,
        )}</tbody></table>`,
  );
}

export function daemonsPage(health: DaemonHealth[]): Html {
  if (health.length === 0) {
    return html`<p class="note">No daemons configured: set <code>CONSOLE_DAEMON_URLS</code> to <code>name=http://host:port,…</code>.</p>`;
  }
  return html`<table id="daemons"><thead><tr><th>daemon</th><th>ready</th><th>answer</th></tr></thead>
<tbody>${health.map(
    (daemon) =>
      html`<tr class="${daemon.ready ? "ok" : "down"}"><td>${daemon.name}<br><small>${daemon.url}</small></td><td>${daemon.ready ? "ready" : "NOT READY"}</td><td><code>${daemon.status}</code></td></tr>`,
  )}</tbody></table>`;
}

export function monitorPage(reading: MonitorReading): Html {
  if (reading.state === "unset") {
    return html`<p class="note" id="monitor-state">No monitor configured: set <code>MONITOR_STATUS_URL</code> to the off-site monitor's <code>/status</code>.</p>`;
  }
  if (reading.state === "unreachable") {
    return html`<p class="error" id="monitor-state">The monitor at ${reading.url} could not be read: ${reading.error}</p>`;
  }
  const { checks, incidents } = reading.status;
  const open = incidents.filter((incident) => !incident.resolvedAt);
  return html`<p id="monitor-state" class="${open.length > 0 ? "error" : "ok"}">${open.length} open incident(s); ${checks.filter((check) => !check.ok).length} of ${checks.length} check(s) failing (from ${reading.url}).</p>
<h2>Incidents</h2>
${
  incidents.length === 0
    ? html`<p>No incidents.</p>`
    : html`<table id="incidents"><thead><tr><th>id</th><th>check</th><th>opened</th><th>resolved</th><th>notified</th><th>detail</th></tr></thead>
<tbody>${incidents.map(
        (incident) =>
          html`<tr class="${incident.resolvedAt ? "ok" : "down"}"><td>${incident.id}</td><td>${incident.check}</td><td>${when(incident.openedAt)}</td><td>${incident.resolvedAt ? when(incident.resolvedAt) : "open"}</td><td>${when(incident.notifiedAt)}</td><td>${incident.detail ?? ""}</td></tr>`,
      )}</tbody></table>`
}
<h2>Checks</h2>
<table id="checks"><thead><tr><th>check</th><th>state</th><th>failures in a row</th><th>last checked</th><th>detail</th></tr></thead>
<tbody>${checks.map(
    (check) =>
      html`<tr class="${check.ok ? "ok" : "down"}"><td>${check.name}</td><td>${check.ok ? "ok" : "FAILING"}</td><td class="num">${check.consecutiveFailures}</td><td>${when(check.lastCheckedAt)}</td><td>${check.detail ?? ""}</td></tr>`,
  )}</tbody></table>`;
}

export function notFoundPage(): Html {
  return layout({ title: "Not found" }, html`<p><a href="/queues">Back to the console</a></p>`);
}
