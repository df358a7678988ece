import { CATEGORY_LABELS, CERTIFICATE_STATUS_LABELS, type CertificateCategory, type CertificateQueryResponse } from '@ce/types';
import { today } from '../../platform/clock';
import { keyedHash } from '../../platform/crypto';
import type { Deps } from '../../platform/http/route';
import { CertificateModel, PersonModel } from '../registry';

/** 证书查询: validity and status only; a name that does not match the ID number finds nothing. */
export async function queryCertificates(input: { name: string; idNumber: string; category: CertificateCategory }, deps: Deps): Promise<CertificateQueryResponse> {
  const person = await PersonModel.findOne({ idHash: keyedHash(deps.config.idHashKey, input.idNumber) }).lean();
  if (!person || person.name !== input.name) return { items: [] };
  const certificates = await CertificateModel.find({ personId: person._id, category: input.category }).sort({ expiryDate: -1 }).lean();
  const day = today(deps.clock);
  return {
    items: certificates.map((c) => {
      const status = c.status === 'VALID' && c.expiryDate < day ? 'EXPIRED' : c.status;
      return {
        certificateNo: c.certificateNo,
        categoryLabel: CATEGORY_LABELS[c.category],
        status,
        statusLabel: CERTIFICATE_STATUS_LABELS[status],
        expiryDate: c.expiryDate,
        valid: status === 'VALID',
      };
    }),
  };
}
