import { resolve } from 'node:path';
import { type Started, startProcess } from './child-process';
import { freePort } from './free-port';
import { REPO_ROOT } from './paths';
import { waitFor } from './wait-for';

export interface OidcProviderInstance {
  issuer: string;
  clientId: string;
  clientSecret: string;
  process: Started;
  stop: () => Promise<void>;
}

/** tests/fixtures/oidc-provider.mjs as its own process (oidc-provider is an ES module). */
export async function startOidcProvider(redirectUri: string): Promise<OidcProviderInstance> {
  const port = await freePort();
  const clientSecret = 'oidc-test-client-secret';
  const process = startProcess(
    'node',
    [resolve(REPO_ROOT, 'tests/fixtures/oidc-provider.mjs'), String(port), redirectUri, clientSecret],
    {},
  );
  await waitFor(
    'oidc-provider',
    () => process.output().includes('oidc-provider ready') || undefined,
    15_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${process.output()}`);
  });
  return {
    issuer: `http://127.0.0.1:${port}`,
    clientId: 'meetnet',
    clientSecret,
    process,
    stop: async () => {
      await process.stop('SIGTERM');
    },
  };
}
