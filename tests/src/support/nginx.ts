import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Started, startProcess } from './child-process';
import { freePort } from './free-port';
import { REPO_ROOT } from './paths';
import { waitFor } from './wait-for';

export interface NginxProxy {
  port: number;
  process: Started;
  stop: () => Promise<void>;
}

const SHIPPED_CONFIG = join(REPO_ROOT, 'infra/nginx/meetnet.conf');

/**
 * A real nginx running the shipped configuration (infra/nginx/meetnet.conf) in front of one
 * or more instances: its `server` lines replaced by `upstreams` (`http://host:port`), its
 * port by a free one, on every loopback address.
 */
export async function startNginx(upstreams: readonly string[]): Promise<NginxProxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-nginx-'));
  const shipped = readFileSync(SHIPPED_CONFIG, 'utf8');
  const servers = /^( *)server [\w.-]+:\d+ (.*);$/gm;
  const [, indent = '  ', options = ''] = servers.exec(shipped) ?? [];
  const site = shipped
    .replace(servers, '')
    .replace(
      /^(upstream meetnet \{\n)/m,
      (head) => head + upstreams.map((u) => `${indent}server ${new URL(u).host} ${options};\n`).join(''),
    )
    .replace(/^( *)listen 8080;$/m, `$1listen ${port};`);
  if (!site.includes(`listen ${port};`) || !site.includes(new URL(upstreams[0]!).host)) {
    throw new Error(`${SHIPPED_CONFIG} no longer has the upstream and listen lines this helper rewrites`);
  }
  writeFileSync(join(dir, 'meetnet.conf'), site);
  const config = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/meetnet.conf;
}
`;
  writeFileSync(join(dir, 'nginx.conf'), config);
  const process = startProcess('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], {
    logFile: join(dir, 'nginx.out'),
  });
  await waitFor(`nginx on port ${port}`, async () => {
    if (process.child.exitCode !== null) throw new Error(`nginx exited: ${process.output()}`);
    return (
      (await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.ok)
        .catch(() => false)) || undefined
    );
  });
  return { port, process, stop: async () => void (await process.stop('SIGQUIT')) };
}
