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
  },
  settings: (env) => ({ licence: env.OPEN_DATA_LICENCE }),
});

export type OpenDataSettings = SettingsOf<typeof openDataConfig>;
