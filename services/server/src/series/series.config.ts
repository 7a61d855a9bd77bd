import { configSlice, type SettingsOf } from '../config/config-slice';

export const seriesConfig = configSlice({
  name: 'series',
  variables: {
    // About half a minute of InfluxDB's and the service's time (an export streams ~340,000
    // rows/s, bench/results.md): a month of raw data of 20 sensors reporting every 5 s.
    API_QUERY_MAX_ROWS: {
      type: 'integer',
      description:
        'raw rows one series, chart or export request may make InfluxDB read (estimated, then counted)',
      minimum: 1,
      maximum: 1_000_000_000,
      default: 10_000_000,
    },
    API_QUERIES_PER_USER: {
      type: 'integer',
      description: 'series, chart and export requests one user may have running at once',
      minimum: 1,
      maximum: 100,
      default: 2,
    },
  },
  settings: (env) => ({ queryMaxRows: env.API_QUERY_MAX_ROWS, queriesPerUser: env.API_QUERIES_PER_USER }),
});

export type SeriesSettings = SettingsOf<typeof seriesConfig>;
