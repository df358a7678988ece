import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { CATEGORY_LABELS, chinaDate, type certificateVerification } from '@ce/types';
import type { z } from 'zod';
import type { Config } from '../../platform/config';
import { printedDate, renderPdf } from '../../platform/pdf';
import type { CompletionDoc } from './data';

/** The verification code's alphabet: no 0/O, 1/I (the contract's verificationCodeField). */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** 12 random characters (60 bits), printed `XXXX-XXXX-XXXX`: not guessable, easy to read out and type. */
export function newVerificationCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8)].map((group) => group.join('')).join('-');
}

/** The code as stored: the contract accepts it with or without dashes. */
export function normalisedCode(code: string): string {
  const plain = code.replace(/-/g, '');
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`;
}

/** The mini-program's H5 verify page (hash router), where the QR code leads. */
function verifyPageUrl(config: Pick<Config, 'PUBLIC_BASE_URL'>, code: string): string {
  return `${config.PUBLIC_BASE_URL.replace(/\/$/, '')}/#/pages/verify/index?code=${encodeURIComponent(code)}`;
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 64;
const INK = '#1f1f1f';
const ACCENT = '#9c3d1f';

type Doc = PDFKit.PDFDocument;

function row(doc: Doc, label: string, value: string, y: number): void {
  doc.font('regular').fontSize(12).fillColor('#666666').text(label, MARGIN + 24, y, { width: 110 });
  doc.font('bold').fontSize(13).fillColor(INK).text(value, MARGIN + 134, y - 1, { width: PAGE.width - 2 * MARGIN - 158 });
}

function rowsOf(completion: CompletionDoc): [string, string][] {
  return [
    ['姓　　名', completion.holderName],
    ['身份证号', completion.idMasked],
    ['证书编号', completion.certificateNo],
    ['证书类别', CATEGORY_LABELS[completion.category]],
    ['学习班', completion.className],
    ['完成学时', `${completion.hoursEarned} 学时`],
    ['考试成绩', completion.examScore !== undefined ? `${completion.examScore} 分` : '—'],
    ['结业日期', printedDate(completion.completedAt!)],
    ['结业结论', '合格'],
  ];
}

/** 学时证明: one A4 page with the learner (ID masked), the result, the verification code and its QR code. */
export async function renderCompletionCertificate(completion: CompletionDoc, config: Pick<Config, 'PUBLIC_BASE_URL'>): Promise<Buffer> {
  const code = completion.certificate!.code;
  const verifyUrl = verifyPageUrl(config, code);
  const qr = await QRCode.toBuffer(verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
  return renderPdf({ size: [PAGE.width, PAGE.height], margin: 0, info: { Title: `学时证明 ${completion.certificateNo}`, Producer: 'ce-platform' } }, (doc) => {
    doc.rect(MARGIN - 24, MARGIN - 24, PAGE.width - 2 * (MARGIN - 24), PAGE.height - 2 * (MARGIN - 24)).lineWidth(2).strokeColor(ACCENT).stroke();
    doc.font('bold').fontSize(30).fillColor(ACCENT).text('学时证明', MARGIN, MARGIN + 20, { width: PAGE.width - 2 * MARGIN, align: 'center', characterSpacing: 8 });
    doc.font('regular').fontSize(12).fillColor(INK).text('建设行业从业人员继续教育', MARGIN, MARGIN + 70, { width: PAGE.width - 2 * MARGIN, align: 'center' });
    doc
      .fontSize(12)
      .text(`兹证明 ${completion.holderName} 参加本周期继续教育，完成规定学时并通过结业考试，经审核合格结业。`, MARGIN + 24, MARGIN + 120, { width: PAGE.width - 2 * MARGIN - 48, lineGap: 6 });
    rowsOf(completion).forEach(([label, value], i) => row(doc, label, value, MARGIN + 190 + i * 34));

    const bottom = PAGE.height - MARGIN - 170;
    doc.image(qr, MARGIN + 24, bottom, { width: 120 });
    // The QR code is also a link, for whoever reads the PDF on a screen.
    doc.link(MARGIN + 24, bottom, 120, 120, verifyUrl);
    doc.font('regular').fontSize(11).fillColor('#666666').text('验证码', MARGIN + 164, bottom + 10);
    doc.font('bold').fontSize(20).fillColor(INK).text(code, MARGIN + 164, bottom + 30, { characterSpacing: 2 });
    doc
      .font('regular')
      .fontSize(10)
      .fillColor('#666666')
      .text('扫描二维码或在“学时证明验证”页面输入验证码，可核验本证明的真伪。', MARGIN + 164, bottom + 66, { width: PAGE.width - 2 * MARGIN - 188 });
    doc.text(`出具日期：${printedDate(completion.certificate!.issuedAt)}`, MARGIN + 164, bottom + 100);
  });
}

type Verification = z.input<typeof certificateVerification>;

/** What anyone with the code may read: the holder's name, masked ID and the result. Nothing else. */
export function verificationOf(code: string, completion: CompletionDoc | null): Verification {
  if (completion?.state !== 'COMPLETED' || !completion.certificate) return { valid: false, code, message: '未找到该验证码对应的学时证明，请核对验证码' };
  return {
    valid: true,
    code: completion.certificate.code,
    holderName: completion.holderName,
    idMasked: completion.idMasked,
    certificateNo: completion.certificateNo,
    className: completion.className,
    hours: completion.hoursEarned,
    ...(completion.examScore !== undefined ? { examScore: completion.examScore } : {}),
    completedAt: chinaDate(completion.completedAt!),
    message: '该学时证明真实有效：持证人已合格结业',
  };
}
