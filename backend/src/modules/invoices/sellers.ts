import type { InvoiceParty } from './providers';

/**
 * 销售方 for the demo and tests: plainly fictitious names with valid-format credit codes. A deployment
 * passes its own (the body that collects the fees in each province) to createInvoicing.
 */
export const DEMO_SELLERS: Record<string, InvoiceParty> = {
  SD: { name: '山东省建设从业人员继续教育中心（演示）', taxId: '12370000MB1234567N', address: '山东省济南市历下区演示路1号', phone: '0531-80000000' },
  YN: { name: '云南省建设从业人员继续教育中心（演示）', taxId: '12530000MB7654321G', address: '云南省昆明市五华区演示路1号', phone: '0871-60000000' },
};

export const DEMO_ISSUER = '演示开票员';
