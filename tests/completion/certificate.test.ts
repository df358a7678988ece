import { PersonModel } from '../../backend/src/modules/registry';
import { keyedHash } from '../../backend/src/platform/crypto';
import { operatorReady } from '../helpers/journeys';
import { embeddedFonts, pdfText } from '../invoices/pdf-text';
import { useStudyStack, type Learner } from '../learning/helpers';
import { examClass, examPolicy, learnerWhoStudied, type ExamClass } from '../exams/helpers';
import { approveCompletion, learnerWhoPassed, reviewerReady } from './helpers';

/**
 * 合格结业 gives the learner a 学时证明: a PDF with their name, masked ID number, certificate, class, hours, score,
 * date, verification code and QR code. Anyone can check the code; a made-up one is not valid. The CE-record query
 * answers only when name, ID number and category all match.
 */
const stack = useStudyStack();
let shandong: ExamClass;
let completed: Learner;
let code: string;

beforeAll(async () => {
  await examPolicy();
  shandong = await examClass(stack, 'SD', await operatorReady(stack.api, 'SD'));
  const reviewer = await reviewerReady(stack.api, 'SD', '济南市');
  completed = await learnerWhoPassed(stack, 'SD', shandong);
  const approved = await approveCompletion(stack.api, reviewer, completed.enrollmentId);
  if (approved.status !== 200) throw new Error(`approval refused: ${JSON.stringify(approved.body)}`);
  code = (await view(completed)).completionCertificate.code;
});

async function view(learner: Learner) {
  return (await stack.api.call('GET', `/api/learner/completion/${learner.enrollmentId}`, { token: learner.token })).body;
}

async function download(learner: Learner, enrollmentId = learner.enrollmentId) {
  const res = await fetch(`${stack.api.url}/api/learner/completion/${enrollmentId}/certificate.pdf`, { headers: { authorization: `Bearer ${learner.token}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
}

async function holder(learner: Learner) {
  const enrollment = (await stack.api.call('GET', '/api/learner/enrollments', { token: learner.token })).body.items.find((e: { id: string }) => e.id === learner.enrollmentId);
  const person = await PersonModel.findOne({ idHash: keyedHash(stack.api.running.deps.config.idHashKey, learner.idNumber) }).lean();
  return { name: person!.name, idMasked: person!.idMasked, certificateNo: enrollment.certificateNo as string };
}

test('when the learner downloads the 学时证明, then its extracted text has their name, masked ID, certificate, hours, score and the verification code, in the embedded Chinese font', async () => {
  const pdf = await download(completed);
  expect(pdf.status).toBe(200);
  expect(pdf.type).toBe('application/pdf');
  expect(decodeURIComponent(pdf.disposition!)).toContain('学时证明_');
  const text = await pdfText(pdf.bytes);
  const { name, idMasked, certificateNo } = await holder(completed);
  for (const expected of ['学时证明', name, idMasked, certificateNo, '24 学时', '100 分', '合格', code]) expect(text).toContain(expected);
  expect(text).not.toContain(completed.idNumber);
  expect(embeddedFonts(pdf.bytes)).toEqual(['NotoSansHans-Bold', 'NotoSansHans-Regular']);
  // The QR code (and the link laid over it) leads to the mini-program's public verify page for this code.
  expect(pdf.bytes.toString('latin1')).toContain(`/URI (http://localhost:3000/#/pages/verify/index?code=${code})`);
});

test('when anyone checks the code (any case, with or without dashes), then it verifies with the masked holder; a made-up code does not; a malformed one is refused', async () => {
  const { name, idMasked, certificateNo } = await holder(completed);
  const checked = await stack.api.call('GET', `/api/public/completion-certificates/${code}`);
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({ valid: true, code, holderName: name, idMasked, certificateNo, hours: 24, examScore: 100, completedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  expect(JSON.stringify(checked.body)).not.toContain(completed.idNumber);
  expect((await stack.api.call('GET', `/api/public/completion-certificates/${code.replace(/-/g, '').toLowerCase()}`)).body).toMatchObject({ valid: true, code });

  const madeUp = code === 'ABCD-EFGH-JKMN' ? 'ABCD-EFGH-JKMP' : 'ABCD-EFGH-JKMN';
  const unknown = await stack.api.call('GET', `/api/public/completion-certificates/${madeUp}`);
  expect(unknown.status).toBe(200);
  expect(unknown.body).toEqual({ valid: false, code: madeUp, message: expect.any(String) });
  const malformed = await stack.api.call('GET', '/api/public/completion-certificates/ABCD-EFGH-JKM0');
  expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
});

test('when someone else asks for the PDF, or the learner has not completed, then there is nothing to download', async () => {
  const other = await learnerWhoStudied(stack, 'SD', shandong);
  expect((await download(other, completed.enrollmentId)).status).toBe(404);
  const notYet = await download(other);
  expect(notYet.status).toBe(409);
  expect(JSON.parse(notYet.bytes.toString()).code).toBe('CERTIFICATE_NOT_ISSUED');
});

test('when the CE records are queried, then name + ID number + category must all match: the completed class shows 合格结业 with its hours; a wrong name or category finds nothing', async () => {
  const { name, certificateNo } = await holder(completed);
  const query = (body: object) => stack.api.call('POST', '/api/public/ce-records', { body });
  const found = await query({ name, idNumber: completed.idNumber, category: 'C' });
  expect(found.status).toBe(200);
  expect(found.body.items).toEqual([
    expect.objectContaining({ certificateNo, state: 'COMPLETED', stateLabel: '合格结业', hoursEarned: 24, completedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), reportState: 'PENDING' }),
  ]);
  expect((await query({ name: name === '张三' ? '李四' : '张三', idNumber: completed.idNumber, category: 'C' })).body.items).toEqual([]);
  expect((await query({ name, idNumber: completed.idNumber, category: 'A' })).body.items).toEqual([]);
  expect((await query({ name, idNumber: '370102198001011234', category: 'C' })).status).toBe(400);
});
