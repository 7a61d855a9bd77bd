import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { channelsFileProblems, readChannelsFile } from './alert-channels-file';
import { alertsConfig } from './alerts.config';

const EXAMPLE = resolve(__dirname, '../../../../infra/alert-channels.example.json');

function exampleIn(dir: string, secret?: string): string {
  const file = join(dir, 'alert-channels.json');
  copyFileSync(EXAMPLE, file);
  if (secret !== undefined) {
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets/milieudienst-teams.secret'), secret);
  }
  return file;
}

describe('the alert channels file', () => {
  it('accepts the shipped example, reading each webhook secret from its own file', () => {
    const file = exampleIn(mkdtempSync(join(tmpdir(), 'channels-')), 'a-long-enough-secret-value\n');
    expect(channelsFileProblems(file)).toEqual([]);
    const [teams, mail] = readChannelsFile(file);
    expect(teams).toMatchObject({ kind: 'webhook', secret: 'a-long-enough-secret-value', digestS: 300 });
    expect(teams).not.toHaveProperty('secretFile');
    expect(mail).toMatchObject({ kind: 'email', to: ['sensoren@stad.example'] });
  });

  it('names a missing or short secret, and an id used twice', () => {
    const missing = exampleIn(mkdtempSync(join(tmpdir(), 'channels-')));
    expect(channelsFileProblems(missing)).toEqual([
      expect.stringContaining(
        'channel milieudienst-teams: secretFile secrets/milieudienst-teams.secret cannot be read',
      ),
    ]);
    const short = exampleIn(mkdtempSync(join(tmpdir(), 'channels-')), 'short');
    expect(channelsFileProblems(short)).toEqual([
      'channel milieudienst-teams: its secret is shorter than 16 characters',
    ]);
    const twice = join(mkdtempSync(join(tmpdir(), 'channels-')), 'c.json');
    const mail = { id: 'x', kind: 'email', to: ['a@b.example'] };
    writeFileSync(twice, JSON.stringify({ channels: [mail, mail] }));
    expect(channelsFileProblems(twice)).toEqual(['channel id x is used twice']);
  });

  it('stops start-up on e-mail channels without SMTP_URL, and on a password inside SMTP_URL', () => {
    const file = exampleIn(mkdtempSync(join(tmpdir(), 'channels-')), 'a-long-enough-secret-value');
    const problemsOf = (env: Record<string, string>) =>
      alertsConfig.check!(
        {
          ALERTS_RULES_FILE: 'x',
          ALERTS_MAIL_FROM: 'Meetnet <m@x>',
          ALERTS_EVAL_INTERVAL_MS: 60_000,
          ALERTS_SETTLE_S: 300,
          ALERTS_CATCH_UP_H: 48,
          ...env,
        } as never,
        { given: env, nodeEnv: 'test' },
      );
    expect(problemsOf({ ALERTS_CHANNELS_FILE: file })).toEqual([
      `ALERTS_CHANNELS_FILE=${file}: has e-mail channels, but SMTP_URL is not set`,
    ]);
    expect(
      problemsOf({ ALERTS_CHANNELS_FILE: file, SMTP_URL: 'smtp://meetnet:hunter2@mail.stad.example:587' }),
    ).toEqual([
      'SMTP_URL: holds a password; put it in SMTP_PASSWORD (or SMTP_PASSWORD_FILE) so it is never logged',
    ]);
  });
});
