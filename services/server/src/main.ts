import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { type AppConfig, loadAppConfig } from './app-config';
import { ConfigError } from './config/config-loader';
import { GlobalExceptionFilter } from './errors/global-exception.filter';
import { createRootLogger } from './logging/logger';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { dashboardCacheHeaders, phoneCompression } from './public/phone-compression';
import { RedisIoAdapter } from './live/redis-io.adapter';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadAppConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createRootLogger(config.logging.level);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
    // Our own parsers, with small limits (below).
    bodyParser: false,
    // Throw instead of process.abort(), so the error reaches the handler below.
    abortOnError: false,
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Map tiles come from a tile server of the city's choosing, always over https.
          'img-src': ["'self'", 'data:', 'blob:', 'https:'],
          // Leaflet and uPlot position elements with inline styles.
          'style-src': ["'self'", "'unsafe-inline'"],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  // Behind a reverse proxy every request comes from the proxy: rate limits would count it, not
  // the clients, unless we believe its X-Forwarded-For (TRUST_PROXY).
  app.set('trust proxy', config.http.trustProxy);
  app.enableCors({ origin: config.http.corsOrigins, credentials: true });
  app.use(cookieParser());
  app.use(phoneCompression());
  app.useBodyParser('json', { limit: config.http.bodyLimitBytes });
  // The open standards have their own paths, where their clients look for them.
  app.setGlobalPrefix('api/v1', {
    exclude: ['healthz', 'readyz', 'metrics', 'ngsi-ld/{*path}', 'sta/{*path}', 'ldes/{*path}'],
  });
  const openApi = new DocumentBuilder()
    .setTitle('Meetnet API')
    .setDescription('Sensors, series and live data of a Meetnet sensor network')
    .setVersion('1')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'api/docs-json',
  });
  if (config.live.redisUrl) {
    const adapter = new RedisIoAdapter(app, config.live.redisUrl);
    await adapter.connect();
    app.useWebSocketAdapter(adapter);
  }
  if (existsSync(config.http.dashboardDir)) {
    app.useStaticAssets(config.http.dashboardDir, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: dashboardCacheHeaders,
    });
  } else {
    logger.warn(
      { dir: config.http.dashboardDir },
      'no built dashboard: serving the API only (npm run build --workspace dashboard)',
    );
  }
  app.useGlobalFilters(new GlobalExceptionFilter(logger.child({ context: GlobalExceptionFilter.name })));
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, 'Meetnet server listening');
}

bootstrap().catch((error: unknown) => {
  // A failure before the logger exists, or one Nest could not handle: say it plainly and stop.
  process.stderr.write(
    `meetnet-ingestion failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
