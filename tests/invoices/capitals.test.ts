import { amountInCapitals, amountInFigures, splitTax } from '../../backend/src/modules/invoices';

describe('价税合计（大写）: an amount in fen written in Chinese capital numerals', () => {
  test.each([
    [5, '伍分'],
    [50, '伍角整'],
    [1000, '壹拾元整'],
    [100110, '壹仟零壹元壹角整'],
    [10000000, '壹拾万元整'],
    [0, '零元整'],
    [105, '壹元零伍分'],
    [1005, '壹拾元零伍分'],
    [1050, '壹拾元伍角整'],
    [33370, '叁佰叁拾叁元柒角整'],
    [101000, '壹仟零壹拾元整'],
    [10001000, '壹拾万零壹拾元整'],
    [10010000, '壹拾万零壹佰元整'],
    [11000000, '壹拾壹万元整'],
    [10000000000, '壹亿元整'],
    [10000000100, '壹亿零壹元整'],
    [10001000000, '壹亿零壹万元整'],
    [123456789012, '壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分'],
  ])('%i fen reads %s', (fen, words) => {
    expect(amountInCapitals(fen)).toBe(words);
  });

  test('a red-letter amount is written as （负数） followed by its size', () => {
    expect(amountInCapitals(-100110)).toBe('（负数）壹仟零壹元壹角整');
  });

  test('an amount that is not a whole number of fen is refused rather than rounded', () => {
    expect(() => amountInCapitals(10.5)).toThrow(RangeError);
  });
});

test('价税合计（小写） prints two decimals and no thousands separator, with a minus for red letter', () => {
  expect(amountInFigures(100110)).toBe('1001.10');
  expect(amountInFigures(5)).toBe('0.05');
  expect(amountInFigures(10000000)).toBe('100000.00');
  expect(amountInFigures(-100110)).toBe('-1001.10');
});

test('a tax-inclusive price splits into 金额 and 税额 that add up to it exactly', () => {
  expect(splitTax(100110, 3)).toEqual({ amountFen: 97194, taxFen: 2916 });
  expect(splitTax(100110, 'EXEMPT')).toEqual({ amountFen: 100110, taxFen: 0 });
  for (const total of [1, 99, 103, 33370, 999999]) {
    const { amountFen, taxFen } = splitTax(total, 6);
    expect(amountFen + taxFen).toBe(total);
  }
});
