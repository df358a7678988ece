import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Config } from './config';
import { enqueue, type Enqueued, type EnqueueOptions, type JobContext, type JobDefinitions, jobs, PermanentJobError } from './jobs';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

export interface OutgoingMail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

/** What the mail server said when it took the mail. */
export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
}

type SmtpConfig = Pick<Config, 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURE' | 'SMTP_USER' | 'SMTP_PASS' | 'MAIL_FROM'>;

const transports = new WeakMap<SmtpConfig, Transporter<SMTPTransport.SentMessageInfo>>();

/** One SMTP transport per configuration (a new connection per mail: mails are few and retried by the job). */
export function mailTransport(config: SmtpConfig): Transporter<SMTPTransport.SentMessageInfo> {
  let transport = transports.get(config);
  if (!transport) {
    transport = nodemailer.createTransport({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASS } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    transports.set(config, transport);
  }
  return transport;
}

const addressText = (address: string | { address: string }) => (typeof address === 'string' ? address : address.address);

/** Sends one mail now. `messageId` (`<…@…>`) lets a resend carry the same Message-ID as the first send. */
export async function sendMail(config: SmtpConfig, mail: OutgoingMail, options: { messageId?: string } = {}): Promise<SentMail> {
  const info = await mailTransport(config).sendMail({
    from: config.MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    messageId: options.messageId,
  });
  return { messageId: info.messageId, accepted: info.accepted.map(addressText), rejected: info.rejected.map(addressText), response: info.response };
}

// --- mail as a durable job -------------------------------------------------------------------------------------

export const MAIL_SEND_JOB = 'mail.send';

/** How a mail waits in the job's payload (attachment bytes as base64: a payload is a plain document). */
interface QueuedMail extends Omit<OutgoingMail, 'attachments'> {
  attachments: { filename: string; contentBase64: string; contentType?: string }[];
}

function toQueued(mail: OutgoingMail): QueuedMail {
  const attachments = (mail.attachments ?? []).map((a) => ({ filename: a.filename, contentBase64: a.content.toString('base64'), contentType: a.contentType }));
  return { ...mail, attachments };
}

function fromQueued(queued: QueuedMail): OutgoingMail {
  return { ...queued, attachments: queued.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.contentBase64, 'base64'), contentType: a.contentType })) };
}

/** The same Message-ID for every send of one job, so a receiving client can recognise a duplicate. */
export function messageIdFor(jobKey: string, config: Pick<Config, 'MAIL_FROM'>): string {
  const domain = /@([^@\s>]+)/.exec(config.MAIL_FROM)?.[1] ?? 'localhost';
  return `<${createHash('sha256').update(jobKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/**
 * Queues a mail: sent by the job runner, retried with backoff while the mail server cannot be reached. `key`
 * names the business fact (`invoice-mail:<invoiceId>:<version>`): one key, one mail. Pass `session` to queue it
 * in the transaction that causes it.
 */
export function enqueueMail(mail: OutgoingMail, options: EnqueueOptions & { key: string }): Promise<Enqueued> {
  return enqueue(MAIL_SEND_JOB, toQueued(mail), options);
}

/** A refusal that sending again will not change (5xx: no such mailbox, message refused, authentication). */
function isPermanentRefusal(error: unknown): boolean {
  const responseCode = (error as { responseCode?: number } | undefined)?.responseCode;
  return typeof responseCode === 'number' && responseCode >= 500;
}

/**
 * Sends the queued mail unless an earlier run of this job already had it accepted: the acceptance is written
 * on the job the moment the server answers, before the run ends. What remains is a crash in the instant between
 * the server's "250 accepted" and that write: the next run sends again, with the same Message-ID.
 */
async function sendQueuedMail(payload: QueuedMail, context: JobContext): Promise<SentMail & { alreadySent?: true }> {
  const accepted = context.job.progress.mail as SentMail | undefined;
  if (accepted) return { ...accepted, alreadySent: true };
  const config = context.deps.config;
  try {
    const sent = await sendMail(config, fromQueued(payload), { messageId: messageIdFor(context.job.key, config) });
    await context.recordProgress({ mail: sent });
    return sent;
  } catch (error) {
    if (isPermanentRefusal(error)) throw new PermanentJobError(`the mail server refused the mail: ${(error as Error).message}`);
    throw error;
  }
}

/** Lets a runner send queued mail: up to 12 tries, 1 minute apart at first, doubling to at most 1 hour (3–6 h in all, with jitter). */
export function defineMailJob(definitions: JobDefinitions = jobs): void {
  definitions.define(MAIL_SEND_JOB, sendQueuedMail, { maxAttempts: 12, backoff: { baseMs: 60_000, maxMs: 3_600_000 } });
}
