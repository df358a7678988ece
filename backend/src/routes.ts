import type { AnyRoute } from './platform/http/route';
import { accountRoutes } from './modules/accounts';
import { catalogRoutes } from './modules/catalog';
import { completionRoutes } from './modules/completion';
import { paymentListener } from './composition';
import { enrollmentRoutes } from './modules/enrollment';
import { examRoutes } from './modules/exams';
import { faceRoutes } from './modules/face';
import { learningRoutes } from './modules/learning';
import { offlineTransferPayerRoutes, orderAdminRoutes, orderRoutes } from './modules/orders';
import { paymentRoutes } from './modules/payments';
import { policyRoutes } from './modules/policy';
import { publicQueryRoutes } from './modules/public-query';
import { fileRoutes } from './platform/storage';

/** Every HTTP route of the product, by capability. */
export const allRoutes: AnyRoute[] = [...policyRoutes, ...accountRoutes, ...catalogRoutes, ...enrollmentRoutes, ...publicQueryRoutes, ...paymentRoutes(paymentListener), ...orderRoutes, ...offlineTransferPayerRoutes, ...orderAdminRoutes, ...faceRoutes, ...learningRoutes, ...examRoutes, ...completionRoutes, ...fileRoutes];
