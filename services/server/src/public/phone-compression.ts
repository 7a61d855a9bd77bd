import type { ServerResponse } from 'node:http';
import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/**
 * gzip for what a phone loads: the dashboard's files and the public API (the bundle is a
 * third of its size compressed). Signed-in API answers and exports are left as they are: they
 * stream up to millions of rows on the city's own network, where CPU is worth more than bytes.
 */
export function phoneCompression(): RequestHandler {
  return compression({
    filter: (request: Request, response: Response) => {
      // The full path: the global prefix and mounts leave `request.url` as it came.
      const path = request.originalUrl;
      const forPhones = !path.startsWith('/api/') || path.startsWith('/api/v1/public/');
      return forPhones && compression.filter(request, response);
    },
  });
}

/** Vite names built files by their content: a file under assets/ never changes. */
export function dashboardCacheHeaders(response: ServerResponse, file: string): void {
  if (/[\\/]assets[\\/]/.test(file))
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}
