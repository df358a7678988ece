import { PaymentEventModel, prepayByQrCode, queryPayment } from '../../backend/src/modules/payments';
import { eventually, outTradeNo, useSharedSimulatorBackend } from './helpers';

const { api, simUrl } = useSharedSimulatorBackend();

async function control(path: string, body: object) {
  const res = await fetch(`${simUrl()}/sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test("when a script pays an order through the run's simulator control API, the backend records the notification", async () => {
  const no = outTradeNo('SH');
  await prepayByQrCode(api.running.deps, { outTradeNo: no, amountFen: 2500, description: '培训费' });
  expect((await control('pay', { outTradeNo: no })).body).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: no });
  await eventually(() => PaymentEventModel.findOne({ outTradeNo: no }).lean());
  expect((await queryPayment(api.running.deps, no)).trade_state).toBe('SUCCESS');
  expect((await control('deliver-again', { no })).body).toEqual({ status: 200 });
  expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(1);
});

test('when the control API is asked to pay an order twice, it says why not', async () => {
  const no = outTradeNo('SH');
  await prepayByQrCode(api.running.deps, { outTradeNo: no, amountFen: 100, description: '培训费' });
  await control('pay', { outTradeNo: no });
  expect(await control('pay', { outTradeNo: no })).toMatchObject({ status: 409, body: { message: expect.stringContaining('SUCCESS') } });
});
