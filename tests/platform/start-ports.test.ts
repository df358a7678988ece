import { createServer } from 'node:net';
import { killGroup, runTs, type RunningProcess } from '../helpers/processes';

let running: RunningProcess | undefined;
afterEach(() => killGroup(running));

describe('npm start (scripts/start.ts) when a mail port is busy', () => {
  test.each([['the local inbox page', 'MAIL_INBOX_PORT'], ['the local SMTP server', 'SMTP_PORT']])(
    'when %s port is taken, then it names the port and %s, starts nothing and exits 1',
    async (_what, variable) => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      try {
        const env = { PORT: '0', WECHAT_SIM_PORT: '0', MAIL_INBOX_PORT: '0', SMTP_PORT: '0', [variable]: String(port), LOG_LEVEL: 'silent' };
        running = runTs('scripts/start.ts', env);
        expect((await running.exited).code).toBe(1);
        expect(running.output()).toContain(`端口 ${port} 已被占用`);
        expect(running.output()).toContain(`${variable}=${port + 1} npm start`);
        expect(await running.groupEnded()).toBe(true);
      } finally {
        taken.close();
      }
    },
  );
});
