import {
  CONTINUING_EDUCATION_LINE,
  DEMO_ISSUER,
  DEMO_SELLERS,
  FapiaoNotReadyError,
  priceLine,
  wechatFapiaoProvider,
  type FapiaoTransport,
  type InvoiceDraft,
} from '../../backend/src/modules/invoices';

/**
 * Stands in for WeChat Pay's fapiao endpoints (an outside service; no simulator exists yet): it records what
 * it is sent and answers the way the API documents, with the state a test puts it in.
 */
function wechatFapiaoStandIn(state: { status: string; number?: string }) {
  const sent: { method: string; path: string; body?: unknown }[] = [];
  const transport: FapiaoTransport = {
    async post(path, body) {
      sent.push({ method: 'POST', path, body });
      return { status: 202, body: {} };
    },
    async get(path) {
      sent.push({ method: 'GET', path });
      if (path.includes('/fapiao-files')) return { status: 200, body: { fapiao_download_info_list: [{ fapiao_id: 'inv-1', download_url: 'https://fapiao.example/inv-1.pdf' }] } };
      const fapiao = state.number ? { fapiao_number: state.number, fapiao_time: '2025-03-04T10:00:00+08:00' } : undefined;
      return { status: 200, body: { fapiao_information: [{ fapiao_id: 'inv-1', status: state.status, blue_fapiao: fapiao, red_fapiao: state.status === 'REVERSED' ? { fapiao_number: '25372000000000000002', fapiao_time: '2025-03-05T10:00:00+08:00' } : undefined }] } };
    },
  };
  return { transport, sent };
}

const draft: InvoiceDraft = {
  requestId: 'inv-1',
  kind: 'SPECIAL',
  province: 'SD',
  buyer: { name: '济南鲁安建筑工程有限公司', taxId: '91370100MA3C5ABCDG', address: '山东省济南市历下区经十路1号', phone: '0531-88886666', bankName: '中国银行济南分行', bankAccount: '6217000000000000001' },
  seller: DEMO_SELLERS.SD,
  lines: [priceLine({ ...CONTINUING_EDUCATION_LINE, quantity: 3, unitPriceFen: 33370, taxRate: 3 })],
  remark: '订单号：CE20250304001',
  issuer: DEMO_ISSUER,
};

test('an invoice is applied for with our invoice id as fapiao_apply_id, the buyer\'s 专票 details and the line in fen', async () => {
  const wechat = wechatFapiaoStandIn({ status: 'ISSUED', number: '25372000000000000001' });
  const issued = await wechatFapiaoProvider({ transport: wechat.transport, taxCode: '3070201020000000000' }).issue(draft);
  expect(issued).toEqual({ number: '25372000000000000001', issuedAt: new Date('2025-03-04T02:00:00Z'), url: 'https://fapiao.example/inv-1.pdf' });
  expect(wechat.sent[0]).toEqual({
    method: 'POST',
    path: '/v3/new-tax-control-fapiao/fapiao-applications',
    body: {
      scene: 'WITH_WECHATPAY',
      fapiao_apply_id: 'inv-1',
      buyer_information: { type: 'ORGANIZATION', name: '济南鲁安建筑工程有限公司', taxpayer_id: '91370100MA3C5ABCDG', address: '山东省济南市历下区经十路1号', telephone: '0531-88886666', bank_name: '中国银行济南分行', bank_account: '6217000000000000001', email: undefined },
      fapiao_information: [
        {
          fapiao_id: 'inv-1',
          total_amount: 100110,
          need_list: false,
          remark: '订单号：CE20250304001',
          items: [{ tax_code: '3070201020000000000', goods_name: '继续教育培训费', unit: '人', quantity: 300_000_000, total_amount: 100110, tax_rate: 300, tax_prefer_mark: 'NO_FAVORABLE', discount: false }],
        },
      ],
    },
  });
});

test('while the tax system has not answered, issuing says "not ready" so the job tries again later', async () => {
  const wechat = wechatFapiaoStandIn({ status: 'ISSUE_ACCEPTED' });
  await expect(wechatFapiaoProvider({ transport: wechat.transport, taxCode: '3070201020000000000' }).issue(draft)).rejects.toThrow(FapiaoNotReadyError);
});

test('a refund reverses the original application by its number and reason, and hands back the red invoice', async () => {
  const wechat = wechatFapiaoStandIn({ status: 'REVERSED', number: '25372000000000000001' });
  const red = await wechatFapiaoProvider({ transport: wechat.transport, taxCode: '3070201020000000000' }).issueRedLetter({
    requestId: 'inv-2',
    original: { draft, number: '25372000000000000001', issuedAt: new Date('2025-03-04T02:00:00Z') },
    reason: '退款：学员退学',
  });
  expect(red.number).toBe('25372000000000000002');
  expect(wechat.sent[0]).toEqual({
    method: 'POST',
    path: '/v3/new-tax-control-fapiao/fapiao-applications/inv-1/reverse',
    body: { reverse_reason: '退款：学员退学', fapiao_information: [{ fapiao_id: 'inv-1', fapiao_code: '', fapiao_number: '25372000000000000001' }] },
  });
});
