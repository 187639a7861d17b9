// The console's one stylesheet and its little script, served from memory (the content
// security policy allows no inline script or style).

export const STYLESHEET = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
header { display: flex; gap: 1.5em; align-items: center; padding: .6em 1em; background: #1f4e3d; color: #fff; flex-wrap: wrap; }
header nav { display: flex; gap: 1em; flex-wrap: wrap; }
header a { color: #fff; }
header a[aria-current="page"] { font-weight: bold; text-decoration: none; border-bottom: 2px solid #fff; }
header form.logout { margin-left: auto; }
main { padding: 1em; }
table { border-collapse: collapse; margin: .5em 0 1em; background: #fff; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { margin: 0; white-space: pre-wrap; font: inherit; }
code.body { white-space: pre-wrap; word-break: break-all; }
.note { color: #555; }
.error { color: #a40000; font-weight: bold; }
.ok { color: #1f6e2f; }
tr.down td { background: #fde8e8; }
form.login { display: flex; gap: .6em; align-items: center; }
`;

export const SCRIPT = `
"use strict";
// Asks before a redrive, and keeps a second click from posting the form twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  for (const button of form.querySelectorAll("button")) button.disabled = true;
});
// Times show in the reader's own zone; the UTC time stays in the title.
for (const time of document.querySelectorAll("time[datetime]")) {
  const date = new Date(time.getAttribute("datetime"));
  if (!Number.isNaN(date.getTime())) {
    time.title = time.textContent;
    time.textContent = date.toLocaleString();
  }
}
`;
