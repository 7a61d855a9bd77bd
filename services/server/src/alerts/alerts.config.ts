import { resolve } from 'node:path';
import { configSlice, type SettingsOf } from '../config/config-slice';
import { channelsFileProblems, readChannelsFile } from './alert-channels-file';
import { rulesFileProblems } from './alert-rules-file';

export const alertsConfig = configSlice({
  name: 'alerts',
  variables: {
    ALERTS_RULES_FILE: {
      type: 'string',
      description:
        'where the alert rules are kept (JSON, written by the API; every version is appended to `<file>.history.ndjson`); absent at first start: the shipped presets',
      minLength: 1,
      default: '.meetnet/alert-rules.json',
    },
    ALERTS_CHANNELS_FILE: {
      type: 'string',
      description:
        'webhooks and e-mail recipients alerts can go to (see docs/alerts.md and `infra/alert-channels.example.json`); unset: the dashboard only',
      minLength: 1,
    },
    SMTP_URL: {
      type: 'string',
      description:
        'the mail server for e-mail channels (`smtp://user@host:587`, `smtps://…`); its password goes in SMTP_PASSWORD',
      pattern: '^smtps?://',
    },
    SMTP_PASSWORD: {
      type: 'string',
      description: 'the password of the SMTP_URL user (or SMTP_PASSWORD_FILE)',
      minLength: 1,
    },
    ALERTS_MAIL_FROM: {
      type: 'string',
      description: 'the sender of alert e-mails',
      minLength: 3,
      default: 'Meetnet <meetnet@localhost>',
    },
    ALERTS_DASHBOARD_URL: {
      type: 'string',
      description: 'the dashboard address that messages link to (`https://meetnet.stad.be`)',
      pattern: '^https?://',
    },
    ALERTS_EVAL_INTERVAL_MS: {
      type: 'integer',
      description: 'how often the alert job judges the windows that have ended and the health rules',
      minimum: 100,
      maximum: 3_600_000,
      default: 60_000,
    },
    ALERTS_SETTLE_S: {
      type: 'integer',
      description:
        'a window is judged this long after it ends, so late readings (LoRaWAN, a spool draining) are in it; later ones re-open nothing',
      minimum: 0,
      maximum: 86_400,
      default: 300,
    },
    ALERTS_CATCH_UP_H: {
      type: 'integer',
      description: 'after a stop, windows that ended up to this long ago are still judged (in order)',
      minimum: 1,
      maximum: 24 * 400,
      default: 48,
    },
  },
  check: (env) => {
    const problems: string[] = [];
    if (env.SMTP_URL !== undefined && URL.canParse(env.SMTP_URL) && new URL(env.SMTP_URL).password) {
      problems.push(
        'SMTP_URL: holds a password; put it in SMTP_PASSWORD (or SMTP_PASSWORD_FILE) so it is never logged',
      );
    }
    if (env.ALERTS_CHANNELS_FILE !== undefined) {
      problems.push(
        ...channelsFileProblems(env.ALERTS_CHANNELS_FILE).map(
          (p) => `ALERTS_CHANNELS_FILE=${env.ALERTS_CHANNELS_FILE}: ${p}`,
        ),
      );
      if (
        problems.length === 0 &&
        env.SMTP_URL === undefined &&
        readChannelsFile(env.ALERTS_CHANNELS_FILE).some((channel) => channel.kind === 'email')
      ) {
        problems.push(
          `ALERTS_CHANNELS_FILE=${env.ALERTS_CHANNELS_FILE}: has e-mail channels, but SMTP_URL is not set`,
        );
      }
    }
    // Rules name channels: checked once the channels are known to be sound.
    if (problems.length === 0) {
      const channels = readChannelsFile(env.ALERTS_CHANNELS_FILE).map((channel) => channel.id);
      problems.push(
        ...rulesFileProblems(env.ALERTS_RULES_FILE, channels).map(
          (p) => `ALERTS_RULES_FILE=${env.ALERTS_RULES_FILE}: ${p}`,
        ),
      );
    }
    return problems;
  },
  settings: (env) => ({
    rulesFile: resolve(env.ALERTS_RULES_FILE),
    channels: readChannelsFile(env.ALERTS_CHANNELS_FILE),
    smtpUrl: env.SMTP_URL === undefined ? undefined : smtpUrlWithPassword(env.SMTP_URL, env.SMTP_PASSWORD),
    mailFrom: env.ALERTS_MAIL_FROM,
    dashboardUrl: env.ALERTS_DASHBOARD_URL,
    evaluationIntervalMs: env.ALERTS_EVAL_INTERVAL_MS,
    settleMs: env.ALERTS_SETTLE_S * 1000,
    catchUpMs: env.ALERTS_CATCH_UP_H * 3_600_000,
  }),
});

export type AlertsSettings = SettingsOf<typeof alertsConfig>;

function smtpUrlWithPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const withPassword = new URL(url);
  withPassword.password = password;
  return withPassword.toString();
}
