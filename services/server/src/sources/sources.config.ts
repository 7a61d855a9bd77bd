import { configSlice, type SettingsOf } from '../config/config-slice';
import { type ReadSources, readSourcesFile, SourcesFileError } from './sources-file';

export const sourcesConfig = configSlice({
  name: 'sources',
  variables: {
    SOURCES_FILE: {
      type: 'string',
      description:
        'devices that reach Meetnet another way (LoRaWAN network servers, Sensor.Community stations, Telraam): see docs/connect-devices.md and `infra/sources.example.json`; unset: Meetnet devices only',
      minLength: 1,
    },
  },
  check: (env) => {
    if (env.SOURCES_FILE === undefined) return [];
    try {
      readSourcesFile(env.SOURCES_FILE);
      return [];
    } catch (error) {
      if (!(error instanceof SourcesFileError)) throw error;
      return error.problems.map((problem) => `SOURCES_FILE=${env.SOURCES_FILE}: ${problem}`);
    }
  },
  settings: (env): ReadSources =>
    env.SOURCES_FILE === undefined
      ? { lorawan: [], stations: new Map(), telraam: [] }
      : readSourcesFile(env.SOURCES_FILE),
});

export type SourcesSettings = SettingsOf<typeof sourcesConfig>;
