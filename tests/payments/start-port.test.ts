import { createServer } from 'node:net';
import { killGroup, runTs, type RunningProcess } from '../helpers/processes';

let running: RunningProcess | undefined;
afterEach(() => killGroup(running));

test('when the WeChat Pay simulator port is taken, npm start names the port and WECHATPAY_SIM_PORT, starts nothing and exits 1', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    running = runTs('scripts/start.ts', { PORT: '0', WECHAT_SIM_PORT: '0', MAIL_INBOX_PORT: '0', SMTP_PORT: '0', WECHATPAY_SIM_PORT: String(port), LOG_LEVEL: 'silent' });
    expect((await running.exited).code).toBe(1);
    expect(running.output()).toContain(`端口 ${port} 已被占用`);
    expect(running.output()).toContain(`WECHATPAY_SIM_PORT=${port + 1} npm start`);
    expect(await running.groupEnded()).toBe(true);
  } finally {
    taken.close();
  }
});
