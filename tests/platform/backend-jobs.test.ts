import { randomBytes } from 'node:crypto';
import { enqueueMail } from '../../backend/src/platform/mail';
import { useTestBackend } from '../helpers/backend';

const api = useTestBackend({
  env: { JOBS_POLL_INTERVAL_MS: '0', SMTP_HOST: process.env.TEST_SMTP_HOST!, SMTP_PORT: process.env.TEST_SMTP_PORT! },
});

test('when the backend runs, then its job runner sends queued mail through the configured mail server', async () => {
  const to = `learner-${randomBytes(3).toString('hex')}@example.com`;
  await enqueueMail({ to, subject: '报名成功', text: '您已报名。' }, { key: `story-mail:${to}` });

  expect(await api.running.jobRunner.runDueJobs()).toMatchObject({ ran: 1, done: 1 });

  const res = await fetch(`${process.env.TEST_MAIL_INBOX_URL}/api/messages?to=${encodeURIComponent(to)}`);
  expect(await res.json()).toEqual([expect.objectContaining({ subject: '报名成功', to: [to] })]);
});
