import iconv from 'iconv-lite';
import { useTestBackend } from '../helpers/backend';
import { createClass, operatorReady } from '../helpers/journeys';
import { testBank, uploadBank } from './helpers';

/**
 * Question banks through the operator API: JSON (UTF-8) or CSV (UTF-8 with or without BOM, or GBK), every line
 * checked, all or nothing; a good file replaces the class's bank; the summary says whether the effective policy's
 * paper (Shandong: 40 single, 20 multiple, 20 judge) can be drawn from it.
 */
const api = useTestBackend();
let operator: string;
let classId: string;

const HEADER = '题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析';

beforeAll(async () => {
  operator = await operatorReady(api, 'SD');
  classId = await createClass(api, operator, { province: 'SD', name: '题库测试班', category: 'C' });
});

const summary = async () => (await api.call('GET', `/api/admin/classes/${classId}/question-bank`, { token: operator })).body;

test('when an operator uploads a JSON bank, then it becomes the class bank, and the summary says whether it is enough for a paper', async () => {
  expect(await summary()).toEqual({ classId, total: 0, byType: { SINGLE: 0, MULTIPLE: 0, JUDGE: 0 }, enoughForPaper: false, needed: { SINGLE: 40, MULTIPLE: 20, JUDGE: 20 } });

  const small = await uploadBank(api, operator, classId, JSON.stringify(testBank({ single: 10, multiple: 5, judge: 5 })), '题库.json');
  expect(small.status).toBe(200);
  expect(small.body).toMatchObject({ total: 20, byType: { SINGLE: 10, MULTIPLE: 5, JUDGE: 5 }, enoughForPaper: false });

  const full = await uploadBank(api, operator, classId, JSON.stringify(testBank({ single: 45, multiple: 20, judge: 22 })), '题库.json');
  expect(full.status).toBe(200);
  expect(full.body).toMatchObject({ total: 87, byType: { SINGLE: 45, MULTIPLE: 20, JUDGE: 22 }, enoughForPaper: true, needed: { SINGLE: 40, MULTIPLE: 20, JUDGE: 20 } });
  expect(await summary()).toEqual(full.body);
});

const goodCsv = [
  HEADER,
  '单选,"安全帽的作用是什么？",防止头部受伤,装饰,"防雨,防晒",无作用,,,A,安全帽用于保护头部',
  '多选,下列哪些是个人防护用品？,安全帽,安全带,香烟,防护手套,,,"A,B,D",',
  '判断,高处作业必须系安全带,,,,,,,对,',
  '判断,可以酒后驾驶施工机械,,,,,,,错',
  '判断,安全交底应在施工前进行,,,,,,,T,',
  '判断,特种作业可以无证上岗,,,,,,,F,',
  '判断,脚手架应定期检查,,,,,,,正确,',
  '判断,临时用电可以私拉乱接,,,,,,,错误,',
].join('\r\n');

test('when the bank is a CSV in UTF-8 with a BOM, or in GBK as Excel saves it, then both are read the same (quoted cells, every judge spelling)', async () => {
  const utf8 = await uploadBank(api, operator, classId, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(goodCsv, 'utf8')]), 'bank-utf8.csv');
  expect(utf8.status).toBe(200);
  expect(utf8.body).toMatchObject({ total: 8, byType: { SINGLE: 1, MULTIPLE: 1, JUDGE: 6 }, enoughForPaper: false });

  const gbk = await uploadBank(api, operator, classId, iconv.encode(goodCsv, 'gbk'), 'bank-gbk.csv');
  expect(gbk.status).toBe(200);
  expect(gbk.body).toMatchObject({ total: 8, byType: { SINGLE: 1, MULTIPLE: 1, JUDGE: 6 } });

  const plain = await uploadBank(api, operator, classId, `${goodCsv}\n`, 'bank.csv');
  expect(plain.body).toMatchObject({ total: 8 });
});

test('when a CSV has bad lines, then the whole file is refused, every bad line is listed with its problems, and the bank is unchanged', async () => {
  const before = await uploadBank(api, operator, classId, JSON.stringify(testBank({ single: 40, multiple: 20, judge: 20 })), 'bank.json');
  expect(before.status).toBe(200);

  const bad = [
    HEADER,
    '单选,正常的一道题,甲,乙,丙,丁,,,B,',
    '填空,题型不对的题,甲,乙,,,,,A,',
    '单选,只有一个选项的题,甲,,,,,,A,',
    '单选,答案超出选项的题,甲,乙,丙,,,,D,',
    '单选,单选给了两个答案,甲,乙,丙,丁,,,AB,',
    '多选,多选只给一个答案,甲,乙,丙,丁,,,C,',
    '判断,判断答案写错了,,,,,,,可能,',
    '单选,正常的一道题,戊,己,,,,,A,',
    '单选,选项中间空了一个,甲,,丙,丁,,,A,',
    '单选,列数不对,甲,乙',
    '多选,正常的多选题,甲,乙,丙,,,,AB,',
  ].join('\n');
  const refused = await uploadBank(api, operator, classId, bad, 'bad.csv');
  expect(refused.status).toBe(422);
  expect(refused.body.code).toBe('QUESTION_BANK_REJECTED');
  const lines = refused.body.details.lines as { line: number; problems: string[] }[];
  expect(lines.map((l) => l.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const problemsOf = (line: number) => lines.find((l) => l.line === line)!.problems.join('；');
  expect(problemsOf(3)).toContain('题型「填空」无效');
  expect(problemsOf(4)).toContain('选择题须有 2–8 个选项（现有 1 个）');
  expect(problemsOf(5)).toContain('答案「D」不在选项 A–C 之内');
  expect(problemsOf(6)).toContain('单选题须只有一个答案');
  expect(problemsOf(7)).toContain('多选题须有两个及以上答案');
  expect(problemsOf(8)).toContain('判断题答案「可能」无效');
  expect(problemsOf(9)).toContain('题干与第 2 行重复');
  expect(problemsOf(10)).toContain('选项B为空');
  expect(problemsOf(11)).toContain('应有 10 列（现有 4 列）');

  expect(await summary()).toEqual(before.body);
});

test('when a JSON bank has bad questions, then each is listed by its position and nothing is imported', async () => {
  const before = await summary();
  const items = [
    ...testBank({ single: 1, multiple: 1, judge: 1 }),
    { type: 'SINGLE', stem: '缺答案的题', options: ['甲', '乙'] },
    { type: 'JUDGE', stem: '判断题带了选项', options: ['对', '错'], answer: ['T'] },
    { type: 'MULTIPLE', stem: '九个选项的题', options: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], answer: ['A', 'B'] },
    'not a question',
  ];
  const refused = await uploadBank(api, operator, classId, JSON.stringify(items), 'bank.json');
  expect(refused.status).toBe(422);
  expect(refused.body.details.lines.map((l: { line: number }) => l.line)).toEqual([4, 5, 6, 7]);
  expect(refused.body.details.lines[0].problems).toContain('缺少答案 answer');
  expect(refused.body.details.lines[1].problems).toContain('判断题不填写选项（对、错已固定）');

  const notJson = await uploadBank(api, operator, classId, '[{"type": "SINGLE",', 'bank.json');
  expect(notJson.status).toBe(422);
  expect(notJson.body.details.lines[0].problems[0]).toMatch(/^JSON 格式错误/);
  expect(await summary()).toEqual(before);
});

test('when a file is in neither UTF-8 nor GBK (or a JSON not in UTF-8, or a CSV with a wrong header), then it is refused whole', async () => {
  const before = await summary();
  const gbkJson = await uploadBank(api, operator, classId, iconv.encode(JSON.stringify(testBank({ single: 1, multiple: 0, judge: 0 })), 'gbk'), 'bank.json');
  expect(gbkJson.status).toBe(422);
  expect(gbkJson.body.code).toBe('QUESTION_BANK_ENCODING');

  const utf16 = await uploadBank(api, operator, classId, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(goodCsv, 'utf16le')]), 'bank.csv');
  expect(utf16.body.code).toBe('QUESTION_BANK_ENCODING');

  const mixed = Buffer.concat([Buffer.from(`${HEADER}\n单选,这一行是 UTF-8 的题,甲,乙,,,,,A,\n`, 'utf8'), iconv.encode('单选,这一行是 GBK 的题目,甲,乙,,,,,A,\n', 'gbk')]);
  expect((await uploadBank(api, operator, classId, mixed, 'bank.csv')).body.code).toBe('QUESTION_BANK_ENCODING');

  const header = await uploadBank(api, operator, classId, '类型,题目,答案\n单选,题,A', 'bank.csv');
  expect(header.status).toBe(422);
  expect(header.body.details.lines).toEqual([{ line: 1, problems: [`表头应为：${HEADER}`] }]);
  expect(await summary()).toEqual(before);
});

test('when an operator of another province or someone not signed in tries, then they are refused; an unknown class is not found', async () => {
  const yunnan = await operatorReady(api, 'YN');
  const file = JSON.stringify(testBank({ single: 1, multiple: 0, judge: 0 }));
  const other = await uploadBank(api, yunnan, classId, file, 'bank.json');
  expect(other.status).toBe(403);
  expect((await api.call('GET', `/api/admin/classes/${classId}/question-bank`, { token: yunnan })).status).toBe(403);
  expect((await api.call('GET', `/api/admin/classes/${classId}/question-bank`)).status).toBe(401);
  const unknown = await uploadBank(api, operator, '0123456789abcdef01234567', file, 'bank.json');
  expect(unknown.status).toBe(404);
  expect(unknown.body.code).toBe('CLASS_NOT_FOUND');
  const noFile = await api.call('POST', `/api/admin/classes/${classId}/question-bank`, { token: operator, body: {} });
  expect(noFile.status).toBe(400);
});

test('when two operators upload a first bank for a class at the same moment, then both are answered and the bank is one of the two files, whole', async () => {
  const fresh = await createClass(api, operator, { province: 'SD', name: '并发题库班', category: 'C' });
  const [a, b] = await Promise.all([
    uploadBank(api, operator, fresh, JSON.stringify(testBank({ single: 3, multiple: 0, judge: 0 }, '甲')), 'a.json'),
    uploadBank(api, operator, fresh, JSON.stringify(testBank({ single: 0, multiple: 0, judge: 5 }, '乙')), 'b.json'),
  ]);
  expect([a.status, b.status]).toEqual([200, 200]);
  const bank = (await api.call('GET', `/api/admin/classes/${fresh}/question-bank`, { token: operator })).body;
  expect([{ SINGLE: 3, MULTIPLE: 0, JUDGE: 0 }, { SINGLE: 0, MULTIPLE: 0, JUDGE: 5 }]).toContainEqual(bank.byType);
});
