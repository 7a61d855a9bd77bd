import { DOMAINS, type Domain, isDomain } from '@meetnet/contracts';
import { configSlice, type SettingsOf } from '../config/config-slice';
import { KeyPatterns } from './key-patterns';

const DOMAIN_LIST = `^(none|(${DOMAINS.join('|')})(,(${DOMAINS.join('|')}))*)$`;
// `leuven/noise/*,gent/air/air-0003`: sensor keys, `*` for any part of one.
const KEY_PATTERN_LIST =
  '^(none|[a-z0-9*-]+/[a-z*]+/[A-Za-z0-9_.*-]+(,[a-z0-9*-]+/[a-z*]+/[A-Za-z0-9_.*-]+)*)$';

const domainsOf = (raw: string): Domain[] => (raw === 'none' ? [] : raw.split(',').filter(isDomain));

export const publicConfig = configSlice({
  name: 'public',
  variables: {
    PUBLIC_DOMAINS: {
      type: 'string',
      description: 'layers on the public map (`#/publiek`, no sign-in), comma-separated; `none` turns it off',
      pattern: DOMAIN_LIST,
      default: DOMAINS.join(','),
    },
    PUBLIC_HOURLY_DOMAINS: {
      type: 'string',
      description:
        'public layers shown as the last complete hour (mean; counts: total) instead of the latest reading; BelAQI is defined on hourly means',
      pattern: DOMAIN_LIST,
      default: 'air,mobility',
    },
    PUBLIC_HIDDEN_SENSORS: {
      type: 'string',
      description: 'sensor keys left off the public map (`gent/air/air-0003,leuven/noise/*`)',
      pattern: KEY_PATTERN_LIST,
      default: 'none',
    },
    PUBLIC_ROUNDED_POSITIONS: {
      type: 'string',
      description:
        "sensor keys whose public position is rounded (a resident's window: `*/mobility/telraam-*`)",
      pattern: KEY_PATTERN_LIST,
      default: 'none',
    },
    PUBLIC_POSITION_DECIMALS: {
      type: 'integer',
      description: 'decimals of a rounded position: 3 is about 100 m, 2 about 1 km',
      minimum: 1,
      maximum: 4,
      default: 3,
    },
    PUBLIC_CACHE_S: {
      type: 'integer',
      description: 'how long public answers are cached, by the service and by browsers',
      minimum: 5,
      maximum: 3600,
      default: 60,
    },
  },
  // A layer named hourly but not published is a city's slip worth stopping for; the default
  // names layers a city may well not publish.
  check: (env, { given }) => {
    if (given['PUBLIC_HOURLY_DOMAINS'] === undefined) return [];
    const published = domainsOf(env.PUBLIC_DOMAINS);
    return domainsOf(env.PUBLIC_HOURLY_DOMAINS)
      .filter((domain) => !published.includes(domain))
      .map(
        (domain) => `PUBLIC_HOURLY_DOMAINS=${env.PUBLIC_HOURLY_DOMAINS}: ${domain} is not in PUBLIC_DOMAINS`,
      );
  },
  settings: (env) => ({
    domains: domainsOf(env.PUBLIC_DOMAINS),
    hourlyDomains: domainsOf(env.PUBLIC_HOURLY_DOMAINS),
    hidden: new KeyPatterns(env.PUBLIC_HIDDEN_SENSORS === 'none' ? [] : env.PUBLIC_HIDDEN_SENSORS.split(',')),
    rounded: new KeyPatterns(
      env.PUBLIC_ROUNDED_POSITIONS === 'none' ? [] : env.PUBLIC_ROUNDED_POSITIONS.split(','),
    ),
    positionDecimals: env.PUBLIC_POSITION_DECIMALS,
    cacheS: env.PUBLIC_CACHE_S,
  }),
});

export type PublicSettings = SettingsOf<typeof publicConfig>;
