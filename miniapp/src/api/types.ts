import type { z } from 'zod';
import type {
  batchEnrollRejection,
  ceRecordQueryResponse,
  certificateQueryResponse,
  classListResponse,
  employeeListResponse,
  enrollmentListResponse,
  loginResponse,
  provinceListResponse,
  sessionPrincipal,
} from '@ce/types';

/** Response shapes, inferred from the shared zod contracts (never re-declared here). */
export type LoginResponse = z.infer<typeof loginResponse>;
export type PrincipalResponse = { principal: z.infer<typeof sessionPrincipal> };
export type ProvinceListResponse = z.infer<typeof provinceListResponse>;
export type ClassListResponse = z.infer<typeof classListResponse>;
export type EmployeeListResponse = z.infer<typeof employeeListResponse>;
export type EnrollmentListResponse = z.infer<typeof enrollmentListResponse>;
export type BatchEnrollRejection = z.infer<typeof batchEnrollRejection>;
export type CertificateQueryResponse = z.infer<typeof certificateQueryResponse>;
export type CeRecordQueryResponse = z.infer<typeof ceRecordQueryResponse>;
