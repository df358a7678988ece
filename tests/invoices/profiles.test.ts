import { checkInvoiceProfile } from '../../backend/src/modules/invoices';

const CREDIT_CODE = '91370100MA3C5ABCDG';
const WRONG_CHECK_CHAR = '91370100MA3C5ABCDH';

const enterpriseNormal = { kind: 'NORMAL', buyerType: 'ENTERPRISE', title: '济南鲁安建筑工程有限公司', taxId: CREDIT_CODE, email: 'caiwu@luan.example.com' };
const enterpriseSpecial = { ...enterpriseNormal, kind: 'SPECIAL', address: '山东省济南市历下区经十路1号', phone: '0531-88886666', bankName: '中国银行济南分行', bankAccount: '6217 0000 0000 0000 001' };

function problemsOf(input: unknown): { field: string; message: string }[] {
  const check = checkInvoiceProfile(input);
  return check.ok ? [] : check.problems;
}

test('an enterprise asking for a 专票 without its bank is refused with "专票须填写开户银行"', () => {
  const { bankName: _omitted, ...withoutBank } = enterpriseSpecial;
  expect(problemsOf(withoutBank)).toEqual([{ field: 'bankName', message: '专票须填写开户银行' }]);
});

test('a 专票 left blank on every extra field names each missing one in Chinese', () => {
  const blank = { ...enterpriseNormal, kind: 'SPECIAL', address: '', phone: ' ', bankName: '', bankAccount: '' };
  expect(problemsOf(blank).map((p) => p.message)).toEqual(['专票须填写注册地址', '专票须填写注册电话', '专票须填写开户银行', '专票须填写银行账号']);
});

test('a complete 专票 profile is accepted, with the bank account stripped of the spaces copied from a slip', () => {
  const check = checkInvoiceProfile(enterpriseSpecial);
  expect(check).toMatchObject({ ok: true, profile: { kind: 'SPECIAL', taxId: CREDIT_CODE, bankAccount: '6217000000000000001' } });
});

test('a tax ID whose check character is wrong is refused: the tax ID is the enterprise\'s credit code', () => {
  expect(problemsOf({ ...enterpriseNormal, taxId: WRONG_CHECK_CHAR })).toEqual([{ field: 'taxId', message: '统一社会信用代码不正确（18位，请核对末位校验码）' }]);
});

test('an enterprise title without any tax ID is refused', () => {
  const { taxId: _omitted, ...withoutTaxId } = enterpriseNormal;
  expect(problemsOf(withoutTaxId)).toEqual([{ field: 'taxId', message: '企业抬头须填写纳税人识别号（统一社会信用代码）' }]);
});

test('a learner paying alone gets a 普票 in their own name, without a tax ID', () => {
  const check = checkInvoiceProfile({ kind: 'NORMAL', buyerType: 'PERSON', title: '李秀英', taxId: '', email: ' LiXiuying@QQ.COM ' });
  expect(check).toEqual({ ok: true, profile: { kind: 'NORMAL', buyerType: 'PERSON', title: '李秀英', email: 'LiXiuying@qq.com' } });
});

test('a person cannot have a 专票, nor put a tax ID on a personal title', () => {
  const person = { kind: 'SPECIAL', buyerType: 'PERSON', title: '李秀英', taxId: CREDIT_CODE, email: 'li@example.com' };
  expect(problemsOf(person).map((p) => p.message)).toEqual(['专票只能开给企业，个人请选择普票', '个人抬头无需填写纳税人识别号']);
});

test('an email typed with a Chinese input method\'s ＠ is understood; one without a domain is refused', () => {
  expect(checkInvoiceProfile({ ...enterpriseNormal, email: 'caiwu＠Luan.Example.COM' })).toMatchObject({ ok: true, profile: { email: 'caiwu@luan.example.com' } });
  expect(problemsOf({ ...enterpriseNormal, email: 'caiwu@' })).toEqual([{ field: 'email', message: '邮箱格式不正确，请核对（例如 name@example.com）' }]);
});

test('a title follows the name rules: hidden control characters are refused, not stripped', () => {
  expect(problemsOf({ ...enterpriseNormal, title: '济南鲁安建筑\u202E工程有限公司' })).toEqual([{ field: 'title', message: '发票抬头含有不可见或控制字符，请删除后重新输入' }]);
});

test('a bank account with letters or too few digits is refused with the reason', () => {
  expect(problemsOf({ ...enterpriseSpecial, bankAccount: '6217ABC0000001' })).toEqual([{ field: 'bankAccount', message: '银行账号只能包含数字' }]);
  expect(problemsOf({ ...enterpriseSpecial, bankAccount: '12345' })).toEqual([{ field: 'bankAccount', message: '银行账号应为8至30位数字' }]);
});

test('a registered phone needs 7 to 15 digits', () => {
  expect(problemsOf({ ...enterpriseSpecial, phone: '12-34' })).toEqual([{ field: 'phone', message: '注册电话应为7至15位数字' }]);
});
