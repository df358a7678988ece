import { randomBytes } from 'node:crypto';
import { startMailInbox, type MailInbox } from '../../backend/simulators/mail-inbox';
import { ControlledClock } from '../../backend/src/platform/clock';
import { findJobByKey, JobDefinitions, JobModel, JobRunner } from '../../backend/src/platform/jobs';
import { createLogger } from '../../backend/src/platform/logger';
import { defineMailJob, enqueueMail, messageIdFor, sendMail } from '../../backend/src/platform/mail';
import { testConfig, useTestDatabase } from '../helpers/db';

useTestDatabase();

const START = '2031-05-06T01:00:00.000Z';
let inbox: MailInbox;

beforeAll(async () => {
  inbox = await startMailInbox();
});
afterAll(async () => {
  await inbox?.stop();
});

function mailConfig() {
  return testConfig({ SMTP_HOST: inbox.smtpHost, SMTP_PORT: String(inbox.smtpPort), MAIL_FROM: '继续教育平台 <invoice@ce-platform.test>' });
}

function mailRunner(clock: ControlledClock) {
  const definitions = new JobDefinitions();
  defineMailJob(definitions);
  return new JobRunner({ deps: { config: mailConfig(), logger: createLogger('silent'), clock }, definitions, clock });
}

async function mailsTo(address: string, inboxUrl = inbox.url): Promise<any[]> {
  const res = await fetch(`${inboxUrl}/api/messages?to=${encodeURIComponent(address)}`);
  return res.json();
}

/** Stands in for the invoice PDF: any bytes, which must arrive unchanged. */
const pdfLike = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096)]);

test('when a mail is sent to the test run\'s inbox, then the inbox shows it with its attachment, byte for byte', async () => {
  const sharedInbox = process.env.TEST_MAIL_INBOX_URL!;
  const config = testConfig({ SMTP_HOST: process.env.TEST_SMTP_HOST!, SMTP_PORT: process.env.TEST_SMTP_PORT!, MAIL_FROM: '继续教育平台 <invoice@ce-platform.test>' });
  const to = `buyer-${randomBytes(3).toString('hex')}@example.com`;
  const pdf = pdfLike();
  const sent = await sendMail(config, { to, subject: '电子发票 · 订单 123', text: '您好，附件是您的发票。', attachments: [{ filename: '发票-123.pdf', content: pdf, contentType: 'application/pdf' }] });
  expect(sent.accepted).toEqual([to]);

  const [summary] = await mailsTo(to, sharedInbox);
  expect(summary).toMatchObject({ subject: '电子发票 · 订单 123', from: 'invoice@ce-platform.test', to: [to], attachments: [{ filename: '发票-123.pdf', contentType: 'application/pdf', size: pdf.length }] });
  const detail = await (await fetch(`${sharedInbox}/api/messages/${summary.id}`)).json();
  expect(detail.text).toContain('附件是您的发票');
  const attachment = await fetch(`${sharedInbox}/api/messages/${summary.id}/attachments/0`);
  expect(attachment.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await attachment.arrayBuffer()).equals(pdf)).toBe(true);
  const page = await (await fetch(sharedInbox)).text();
  expect(page).toContain('电子发票 · 订单 123');
});

test('when the mail server is down for a while, then the queued mail is retried with backoff and goes out once it is back, exactly once', async () => {
  const clock = new ControlledClock(START);
  const runner = mailRunner(clock);
  const to = `buyer-${randomBytes(3).toString('hex')}@example.com`;
  const pdf = pdfLike();
  const key = 'invoice-mail:INV-7:1';
  const mail = { to, subject: '电子发票 INV-7', text: '发票见附件', attachments: [{ filename: 'INV-7.pdf', content: pdf, contentType: 'application/pdf' }] };

  await inbox.stopSmtp();
  await enqueueMail(mail, { key, now: clock.now() });
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, retrying: 1 });
  const firstTry = (await findJobByKey(key))!;
  expect(firstTry.lastError).toMatch(/ECONNREFUSED/);

  clock.set(firstTry.runAt);
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, retrying: 1 });
  const secondTry = (await findJobByKey(key))!;
  expect(secondTry.runAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(60_000); // backing off: 1–2 min

  await inbox.startSmtp();
  expect(await mailsTo(to)).toEqual([]);
  clock.set(secondTry.runAt);
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, done: 1 });

  // Enqueued again for the same invoice version (a retried request, a second notification): nothing more is sent.
  expect((await enqueueMail(mail, { key, now: clock.now() })).created).toBe(false);
  clock.advance(24 * 3_600_000);
  expect((await runner.runDueJobs()).ran).toBe(0);

  const received = await mailsTo(to);
  expect(received).toHaveLength(1);
  expect(received[0].messageId).toBe(messageIdFor(key, mailConfig()));
  const attachment = await fetch(`${inbox.url}/api/messages/${received[0].id}/attachments/0`);
  expect(Buffer.from(await attachment.arrayBuffer()).equals(pdf)).toBe(true);
  expect(await findJobByKey(key)).toMatchObject({ status: 'done', attempts: 3, progress: { mail: { accepted: [to] } } });
});

test('when a runner dies after the mail server accepted the mail, then the next run does not send it again', async () => {
  const clock = new ControlledClock(START);
  const runner = mailRunner(clock);
  const to = `buyer-${randomBytes(3).toString('hex')}@example.com`;
  const key = 'invoice-mail:INV-8:1';
  await enqueueMail({ to, subject: '电子发票 INV-8', text: '发票见附件' }, { key, now: clock.now() });
  await runner.runDueJobs();
  expect(await mailsTo(to)).toHaveLength(1);

  // The job as a runner leaves it when it dies after recording the acceptance but before finishing the run.
  await JobModel.updateOne({ key }, { $set: { status: 'queued', lockedBy: 'runner-that-died', lockedUntil: clock.now(), finishedAt: null } });
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, done: 1 });

  expect(await mailsTo(to)).toHaveLength(1);
  expect(await findJobByKey(key)).toMatchObject({ status: 'done', attempts: 2, result: { alreadySent: true, accepted: [to] } });
});

test('when the mail server refuses the recipient for good, then the job fails at once with the server’s answer', async () => {
  const clock = new ControlledClock(START);
  const runner = mailRunner(clock);
  const key = 'invoice-mail:INV-9:1';
  await enqueueMail({ to: 'nobody@refused.invalid', subject: '电子发票 INV-9', text: '发票见附件' }, { key, now: clock.now() });
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, failed: 1 });
  expect(await findJobByKey(key)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/550.*mailbox unavailable/) });
});
