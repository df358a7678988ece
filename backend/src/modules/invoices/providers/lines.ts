import { splitTax } from '../amounts';
import type { InvoiceLine, PricedLine } from './types';

export function priceLine(line: InvoiceLine): PricedLine {
  const totalFen = line.unitPriceFen * line.quantity;
  return { ...line, totalFen, ...splitTax(totalFen, line.taxRate) };
}

/** A red-letter invoice repeats the original's rows with negative quantity and money, never recomputed. */
export function reversedLine(line: PricedLine): PricedLine {
  return { ...line, quantity: -line.quantity, totalFen: -line.totalFen, amountFen: -line.amountFen, taxFen: -line.taxFen };
}

export function invoiceTotals(lines: PricedLine[]): { totalFen: number; amountFen: number; taxFen: number } {
  const sum = (pick: (line: PricedLine) => number) => lines.reduce((acc, line) => acc + pick(line), 0);
  return { totalFen: sum((l) => l.totalFen), amountFen: sum((l) => l.amountFen), taxFen: sum((l) => l.taxFen) };
}
