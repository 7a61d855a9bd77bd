import { configSlice, type SettingsOf } from '../config/config-slice';

export const openDataConfig = configSlice({
  name: 'openData',
  variables: {
    OPEN_DATA_LICENCE: {
      type: 'string',
      description:
        'the licence every open-data answer states (NGSI-LD, SensorThings, OSLO, LDES): a URL; CC BY 4.0 by default, as Telraam publishes',
      pattern: '^https?://[^\\s<>"]+$',
      default: 'https://creativecommons.org/licenses/by/4.0/',
    },
    OPEN_DATA_LDES_DAYS: {
      type: 'integer',
      description:
        'how many days back the LDES streams start (a client replicating the stream reads them all once)',
      minimum: 1,
      maximum: 3650,
      default: 30,
    },
  },
  settings: (env) => ({ licence: env.OPEN_DATA_LICENCE, ldesDays: env.OPEN_DATA_LDES_DAYS }),
});

export type OpenDataSettings = SettingsOf<typeof openDataConfig>;
