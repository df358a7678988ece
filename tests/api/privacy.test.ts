import { PassThrough } from 'node:stream';
import mongoose from 'mongoose';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber } from '../helpers/fixtures';
import { importRecords, learnerBinds, wechatCode } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

/** ID numbers are sensitive personal information: encrypted at rest, masked in every answer and log line. */
const logs: string[] = [];
const logStream = new PassThrough();
logStream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
const api = useTestBackend({ env: { LOG_LEVEL: 'debug' }, logDestination: logStream });

const owner = enterprise(501, 'SD');
const rawIds = [makeIdNumber(511, '19650704'), makeIdNumber(512, '19881230')];
const names = ['赵大山', '钱小花'];

beforeAll(async () => {
  await importRecords(rawIds.map((idNumber, i) => certificate(owner, { idNumber, name: names[i] })), api.running.deps);
  await learnerBinds(api, 'device-privacy-01', rawIds[0], '12345678');
  await api.call('POST', '/api/public/certificate-query', { body: { name: names[1], idNumber: rawIds[1], category: 'C' } });
  // a request that fails validation, with the raw number in a rejected field
  await api.call('POST', '/api/auth/learner/wechat-login', { body: { code: await wechatCode('device-privacy-02'), idNumber: rawIds[1] } });
  api.running.deps.logger.info(`a message that mentions ${rawIds[1]} by mistake`);
  api.running.deps.logger.info({ note: { nested: rawIds[0] } }, 'an object that carries one');
});

test('when certificates are imported and learners log in, then no database document contains a raw ID number', async () => {
  const dump: string[] = [];
  for (const name of mongoose.modelNames()) dump.push(JSON.stringify(await mongoose.model(name).find().lean()));
  const everything = dump.join('\n');
  expect(everything).toContain(names[0]); // the dump is real: it holds the people
  for (const id of rawIds) {
    expect(everything).not.toContain(id);
    expect(everything).toContain(id.slice(0, 4) + '**********' + id.slice(-4));
  }
});

test('when anything is logged, then no log line contains a raw ID number, password or token', async () => {
  await new Promise((r) => setTimeout(r, 50));
  const output = logs.join('');
  expect(output).toContain('"path":"/api/auth/learner/bind"'); // the log is real: it saw the requests
  for (const id of rawIds) expect(output).not.toContain(id);
  expect(output).toContain(rawIds[1].slice(0, 4) + '**********' + rawIds[1].slice(-4));
  expect(output).not.toContain('12345678');
});

test('when the public query answers, then it gives validity and status only', async () => {
  const res = await api.call('POST', '/api/public/certificate-query', { body: { name: names[1], idNumber: rawIds[1], category: 'C' } });
  expect(res.body.items).toHaveLength(1);
  expect(Object.keys(res.body.items[0]).sort()).toEqual(['categoryLabel', 'certificateNo', 'expiryDate', 'status', 'statusLabel', 'valid']);
  const wrongName = await api.call('POST', '/api/public/certificate-query', { body: { name: '别人', idNumber: rawIds[1], category: 'C' } });
  expect(wrongName.body.items).toEqual([]);
});
