import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { AuthSettings } from './auth.config';

const RATE_CLASS_KEY = 'meetnet:rate-class';
type RateClass = 'login' | 'export' | 'public' | 'unmetered';

/** Puts a route in a tighter budget than ordinary reads. */
export const RateLimited = (rateClass: Exclude<RateClass, 'unmetered'>) =>
  SetMetadata(RATE_CLASS_KEY, rateClass);
/** Probes and metrics: polled by machines on our own network, every few seconds. */
export const Unmetered = () => SetMetadata(RATE_CLASS_KEY, 'unmetered');

function rateClassOf(context: ExecutionContext): RateClass | undefined {
  return (Reflect.getMetadata(RATE_CLASS_KEY, context.getHandler()) ??
    Reflect.getMetadata(RATE_CLASS_KEY, context.getClass())) as RateClass | undefined;
}

/**
 * Per client address and minute: reads, sign-ins (against password guessing), exports (each
 * one a long InfluxDB query) and the public map's reads (anyone's, so their own budget: a
 * crowd on the public map never uses up the staff's) each have their own; a route counts
 * against one.
 */
export function rateLimits(
  { rateLimits: limits }: AuthSettings,
  storage?: ThrottlerStorage,
): ThrottlerModuleOptions {
  const only = (wanted: RateClass | undefined) => (context: ExecutionContext) =>
    context.getType() !== 'http' || rateClassOf(context) !== wanted;
  return {
    throttlers: [
      { name: 'reads', ttl: 60_000, limit: limits.readsPerMinute, skipIf: only(undefined) },
      { name: 'logins', ttl: 60_000, limit: limits.loginsPerMinute, skipIf: only('login') },
      {
        name: 'exports',
        ttl: 60_000,
        limit: limits.exportsPerMinute,
        skipIf: only('export'),
      },
      { name: 'public', ttl: 60_000, limit: limits.publicPerMinute, skipIf: only('public') },
    ],
    errorMessage: 'Too many requests: slow down and try again in a minute',
    storage,
  };
}
