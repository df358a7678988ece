/**
 * `npm run staff:create -- --role reviewer --username NAME --province SD --city 济南市`
 * `npm run staff:create -- --role operator --username NAME --province SD`
 * Creates a reviewer (scoped to one city) or an operator (a province) and prints a one-time password that
 * must be changed at first login.
 */
import { parseArgs } from 'node:util';
import { PROVINCES, STAFF_ROLES } from '@ce/types';
import { z } from 'zod';
import { prepareDatabase } from '../app';
import { createStaffAccount } from '../modules/accounts';
import { systemClock } from '../platform/clock';
import { loadConfig } from '../platform/config';
import { connectDatabase, disconnectDatabase } from '../platform/db';
import { createLogger } from '../platform/logger';

const args = z
  .object({
    role: z.enum(STAFF_ROLES),
    username: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, '用户名为2-64位字母、数字或 . _ -'),
    province: z.enum(PROVINCES),
    city: z.string().min(2).optional(),
  })
  .refine((a) => a.role !== 'reviewer' || a.city, { message: '审核员必须指定所属地市 (--city)', path: ['city'] });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string' }, username: { type: 'string' }, province: { type: 'string' }, city: { type: 'string' } } });
  const parsed = args.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`参数错误 ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const config = loadConfig();
  if (!config.MONGODB_URI) {
    console.error('请设置 MONGODB_URI（内置数据库随进程结束而清空，无法保存账号）');
    process.exit(2);
  }
  await connectDatabase(config.MONGODB_URI);
  await prepareDatabase({ config, clock: systemClock, logger: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr) });
  try {
    const { username, initialPassword } = await createStaffAccount(parsed.data);
    console.log(`已创建 ${parsed.data.role === 'reviewer' ? '审核员' : '管理员'} ${username}\n一次性密码: ${initialPassword}\n（首次登录必须修改）`);
  } catch (error) {
    if ((error as { code?: number }).code === 11000) {
      console.error(`用户名 ${parsed.data.username} 已存在`);
      process.exitCode = 1;
    } else throw error;
  } finally {
    await disconnectDatabase();
  }
}

void main();
