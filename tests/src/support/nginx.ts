import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Started, startProcess } from './child-process';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface NginxProxy {
  port: number;
  process: Started;
  stop: () => Promise<void>;
}

/**
 * A real reverse proxy in front of the service, configured as the deployment guide says
 * (X-Forwarded-For appended, WebSockets passed on), listening on every loopback address.
 */
export async function startNginx(upstream: string): Promise<NginxProxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-nginx-'));
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
  server {
    listen ${port};
    location / {
      proxy_pass ${upstream};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
    }
  }
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
