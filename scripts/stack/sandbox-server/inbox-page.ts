import type { SandboxMessage } from './inbox';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function summary(message: SandboxMessage): string {
  const body = (message.request.body ?? {}) as Record<string, unknown>;
  const text = [body.Subject, body.TextBody ?? body.Body].filter((v) => typeof v === 'string').join(' — ');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** A page a person can read while trying the service: newest first, with what each provider answered. */
export function renderInboxPage(messages: SandboxMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<tr class="${m.response.status < 300 ? 'ok' : 'err'}">
  <td>${escapeHtml(m.receivedAt)}</td><td>${m.channel}</td><td>${m.provider}</td>
  <td>${escapeHtml(m.to.join(', '))}</td><td>${escapeHtml(summary(m))}</td>
  <td>${m.response.status}</td><td>${escapeHtml(m.providerMessageId ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Provider sandbox inbox</title>
<meta http-equiv="refresh" content="5">
<style>
body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;font-size:.9rem}
tr.err td{color:#a00}
</style></head>
<body><h1>Provider sandbox inbox</h1>
<p>${messages.length} request(s). JSON: <a href="/sandbox/messages">/sandbox/messages</a> (filters <code>channel</code>, <code>to</code>).</p>
<table><thead><tr><th>Received</th><th>Channel</th><th>Provider</th><th>To</th><th>Content</th><th>Status</th><th>Provider id</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">Nothing received yet.</td></tr>'}
</tbody></table></body></html>`;
}
