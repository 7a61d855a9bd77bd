/**
 * The sensor domains: one spec per domain in domain-specs/, collected in one registry.
 */
export * from './domain-specs';
