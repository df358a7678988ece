import type { AnyRoute } from './platform/http/route';
import { accountRoutes } from './modules/accounts/routes';
import { enrollmentRoutes } from './modules/enrollment/routes';
import { policyRoutes } from './modules/policy/routes';
import { publicQueryRoutes } from './modules/public-query/routes';

/** Every HTTP route of the product, by capability. */
export const allRoutes: AnyRoute[] = [...policyRoutes, ...accountRoutes, ...enrollmentRoutes, ...publicQueryRoutes];
