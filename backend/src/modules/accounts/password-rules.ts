import { AppError } from '../../platform/errors';

/** Public facts about an account that a new password must not be built from, each with its Chinese name. */
export interface PublicFact {
  label: string;
  value: string;
}

/** Passwords people pick first; each passes "8+ characters with letters and digits" and is guessed first. */
const COMMON_PASSWORDS = new Set([
  'password1', 'password12', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword1', 'qwerty123', 'qwerty1234', 'qwer1234', 'qwe123456',
  'qweasd123', 'qweasdzxc1', '1qaz2wsx', '1q2w3e4r', '1q2w3e4r5t', 'q1w2e3r4', 'q1w2e3r4t5', 'asd123456', 'asdf1234', 'zxc123456',
  'zxcv1234', 'abc12345', 'abc123456', 'abcd1234', 'abcd12345', 'a1234567', 'a12345678', 'a123456789', 'aa123456', 'aa112233',
  '12345678a', '123456789a', '123456aa', '123456abc', '1234abcd', '123qweasd', 'admin123', 'admin1234', 'admin888', 'root1234',
  'test1234', 'iloveyou1', 'woaini1314', 'woaini520', 'woaini123', '5201314a', 'a5201314', 'wang123456', 'zhang123456', 'li123456',
]);

/** Digit runs anyone tries: 12345…, 98765…, 11111…. */
function isDigitRun(digits: string): boolean {
  if (digits.length < 5 || !/^\d+$/.test(digits)) return false;
  const steps = new Set<number>();
  for (let i = 1; i < digits.length; i++) steps.add(Number(digits[i]) - Number(digits[i - 1]));
  return steps.size === 1 && [...steps].every((s) => s === 1 || s === -1 || s === 0);
}

/** "a1234567", "abc12345", "12345678a", "zz1111111": a few letters in a row around a run of digits. */
function isLettersAroundDigitRun(password: string): boolean {
  const m = /^([a-z]{0,4})(\d+)([a-z]{0,4})$/.exec(password);
  if (!m || !isDigitRun(m[2])) return false;
  const letters = m[1] + m[3];
  return letters.length <= 4 && (new Set(letters).size <= 1 || 'abcdefghijklmnopqrstuvwxyz'.includes(letters) || 'qwertyuiop'.includes(letters));
}

function isCommon(lower: string): boolean {
  return COMMON_PASSWORDS.has(lower) || isLettersAroundDigitRun(lower);
}

/** Facts shorter than this are not searched for inside a password (too many innocent matches); Chinese names always are. */
function worthSearching(value: string): boolean {
  return /[\u3400-\u9fff]/u.test(value) ? [...value].length >= 2 : value.length >= 4;
}

/** Why a new password would be guessed by someone who knows the account's public data; empty when it would not. */
export function guessableReasons(newPassword: string, facts: PublicFact[]): string[] {
  const lower = newPassword.toLowerCase();
  const reasons: string[] = [];
  for (const fact of facts) {
    const value = fact.value.trim().toLowerCase();
    if (value && worthSearching(value) && lower.includes(value)) reasons.push(`不能包含${fact.label}`);
  }
  if (isCommon(lower)) reasons.push('是常见的简单密码');
  return [...new Set(reasons)];
}

/** Refuses a guessable new password with PASSWORD_GUESSABLE, saying why in Chinese. */
export function assertNotGuessable(newPassword: string, facts: PublicFact[]): void {
  const reasons = guessableReasons(newPassword, facts);
  if (reasons.length) throw new AppError('PASSWORD_GUESSABLE', { reasons }, `新密码${reasons.join('，')}，请换一个不易被猜到的密码`);
}

/** What an ID number gives away beyond itself: birth date and the usual "last six". */
export function idNumberFacts(idNumber: string): PublicFact[] {
  return [
    { label: '身份证号', value: idNumber },
    { label: '身份证号中的出生日期', value: idNumber.slice(6, 14) },
    { label: '身份证号后6位', value: idNumber.slice(-6) },
  ];
}

export function usccFacts(uscc: string): PublicFact[] {
  return [
    { label: '统一社会信用代码', value: uscc },
    { label: '统一社会信用代码后6位', value: uscc.slice(-6) },
  ];
}
