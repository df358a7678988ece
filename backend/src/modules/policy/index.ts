/** Policy (per province, with per-city overrides) as data: the only place settings are read from. */
export { getPolicy, listPolicies, seedBuiltInPolicies, settingsFor } from './policies';
export { BUILT_IN_PROFILES } from './profiles';
export { policyRoutes } from './routes';
export { setCityOverride } from './city-overrides';
