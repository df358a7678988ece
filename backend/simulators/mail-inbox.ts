import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

/**
 * A local mail server with a web inbox, for `npm start` and the tests: an SMTP server on loopback that accepts
 * any mail (no TLS, any or no login) into memory, and an HTTP side that shows it.
 *
 *   GET    /                                   the inbox as a page (newest first, attachments downloadable)
 *   GET    /api/messages[?to=address]          summaries, newest first (optionally only mail to one address)
 *   GET    /api/messages/:id                   one mail: headers, text, html, attachment list
 *   GET    /api/messages/:id/attachments/:n    the n-th attachment's bytes (0-based)
 *   DELETE /api/messages                       forget every mail
 *
 * Recipients at `refused.invalid` are refused with 550 (a mailbox that does not exist), for testing refusals.
 * The SMTP side can be stopped and started again on the same port while the HTTP side keeps serving, which is
 * how a test makes "the mail server is down for a while".
 */
export interface ReceivedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ReceivedMail {
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  from: string;
  to: string[];
  subject: string;
  messageId: string | undefined;
  text: string;
  html: string | undefined;
  attachments: ReceivedAttachment[];
}

export interface MailInbox {
  /** The web inbox, e.g. http://127.0.0.1:4300 */
  url: string;
  smtpHost: string;
  smtpPort: number;
  messages(): ReceivedMail[];
  /** Stops accepting SMTP connections (the port is closed: senders see "connection refused"). */
  stopSmtp(): Promise<void>;
  /** Accepts SMTP again, on the same port. */
  startSmtp(): Promise<void>;
  stop(): Promise<void>;
}

export interface MailInboxOptions {
  /** Where the SMTP side listens (default 127.0.0.1). */
  host?: string;
  /** Where the web inbox listens (default: `host`). */
  httpHost?: string;
  /** 0 (default) picks a free port; the SMTP side keeps it across stop/start. */
  smtpPort?: number;
  httpPort?: number;
}

const MAX_MAIL_BYTES = 25 * 1024 * 1024;

async function parseMail(raw: Buffer, envelope: ReceivedMail['envelope'], id: string): Promise<ReceivedMail> {
  const parsed = await PostalMime.parse(raw);
  const addresses = (list: { address?: string; name: string }[] | undefined) => (list ?? []).map((a) => a.address ?? a.name);
  return {
    id,
    receivedAt: new Date(Date.now()).toISOString(),
    envelope,
    from: parsed.from?.address ?? envelope.from,
    to: addresses(parsed.to as { address?: string; name: string }[] | undefined),
    subject: parsed.subject ?? '',
    messageId: parsed.messageId,
    text: parsed.text ?? '',
    html: parsed.html,
    attachments: parsed.attachments.map((a, n) => ({
      filename: a.filename ?? `attachment-${n + 1}`,
      contentType: a.mimeType,
      content: typeof a.content === 'string' ? Buffer.from(a.content) : Buffer.from(a.content as ArrayBuffer),
    })),
  };
}

function summary(mail: ReceivedMail) {
  const { text: _text, html: _html, attachments, ...rest } = mail;
  return { ...rest, attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length })) };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function inboxPage(mails: ReceivedMail[], smtp: string): string {
  const rows = mails
    .map((m) => {
      const files = m.attachments
        .map((a, n) => `<a href="/api/messages/${m.id}/attachments/${n}">${escapeHtml(a.filename)}</a> (${a.content.length} B)`)
        .join('<br>');
      return `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.from)}</td><td>${escapeHtml(m.to.join(', '))}</td>
<td><details><summary>${escapeHtml(m.subject)}</summary><pre>${escapeHtml(m.text)}</pre></details></td><td>${files}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>本地收件箱 · Local inbox</title><style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}pre{white-space:pre-wrap}</style></head><body>
<h1>本地收件箱 · Local inbox</h1><p>SMTP ${escapeHtml(smtp)} · ${mails.length} 封邮件 / mails · 每 5 秒刷新 (refreshes every 5 s)</p>
<table><thead><tr><th>时间 Time</th><th>发件人 From</th><th>收件人 To</th><th>主题 Subject</th><th>附件 Attachments</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5">还没有邮件 / no mail yet</td></tr>'}</tbody></table></body></html>`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startMailInbox(options: MailInboxOptions = {}): Promise<MailInbox> {
  const host = options.host ?? '127.0.0.1';
  const httpHost = options.httpHost ?? host;
  const mails: ReceivedMail[] = [];
  let smtpPort = options.smtpPort ?? 0;
  let smtp: SMTPServer | undefined;

  const newSmtpServer = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: MAX_MAIL_BYTES,
      closeTimeout: 200,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'anyone' }),
      onRcptTo(address, _session, callback) {
        if (!address.address.toLowerCase().endsWith('@refused.invalid')) return callback();
        callback(Object.assign(new Error(`mailbox unavailable: ${address.address}`), { responseCode: 550 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          parseMail(Buffer.concat(chunks), envelope, randomBytes(6).toString('hex'))
            .then((mail) => {
              mails.unshift(mail);
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });

  const startSmtp = async () => {
    if (smtp) return;
    const server = newSmtpServer();
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(smtpPort, host, () => resolve());
    });
    smtpPort = (server.server.address() as { port: number }).port;
    smtp = server;
  };
  const stopSmtp = async () => {
    const server = smtp;
    smtp = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://inbox');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && parts.length === 0) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(inboxPage(mails, `${host}:${smtpPort}`));
    }
    if (parts[0] !== 'api' || parts[1] !== 'messages') return sendJson(res, 404, { error: 'not found' });
    if (req.method === 'DELETE' && parts.length === 2) {
      mails.length = 0;
      return sendJson(res, 200, { deleted: true });
    }
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
    if (parts.length === 2) {
      const to = url.searchParams.get('to');
      const chosen = to ? mails.filter((m) => m.envelope.to.includes(to) || m.to.includes(to)) : mails;
      return sendJson(res, 200, chosen.map(summary));
    }
    const mail = mails.find((m) => m.id === parts[2]);
    if (!mail) return sendJson(res, 404, { error: 'no such message' });
    if (parts.length === 3) return sendJson(res, 200, { ...summary(mail), text: mail.text, html: mail.html });
    const attachment = parts[3] === 'attachments' && parts.length === 5 ? mail.attachments[Number(parts[4])] : undefined;
    if (!attachment) return sendJson(res, 404, { error: 'no such attachment' });
    res.writeHead(200, {
      'content-type': attachment.contentType,
      'content-length': attachment.content.length,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
    });
    res.end(attachment.content);
  });

  await startSmtp();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.httpPort ?? 0, httpHost, () => resolve());
  });
  const httpPort = (http.address() as { port: number }).port;

  return {
    url: `http://${httpHost}:${httpPort}`,
    smtpHost: host,
    get smtpPort() {
      return smtpPort;
    },
    messages: () => [...mails],
    stopSmtp,
    startSmtp,
    async stop() {
      await stopSmtp();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
