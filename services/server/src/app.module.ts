import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { type AppConfig, CONFIG_SLICES } from './app-config';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { ClusterModule } from './cluster/cluster.module';
import { ConfigModule } from './config/config.module';
import { EventsModule } from './events/events.module';
import { ExportModule } from './export/export.module';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { LiveModule } from './live/live.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProbeModule } from './probe/probe.module';
import { OpenDataModule } from './opendata/open-data.module';
import { PlaybackModule } from './playback/playback.module';
import { PublicModule } from './public/public.module';
import { RollupsModule } from './rollups/rollups.module';
import { SensorsModule } from './sensors/sensors.module';
import { SeriesModule } from './series/series.module';
import { SourcesModule } from './sources/sources.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(CONFIG_SLICES, config),
        LoggingModule.forRoot(logger),
        EventsModule,
        AuthModule,
        MetricsModule,
        IngestionModule,
        SensorsModule,
        SeriesModule,
        ExportModule,
        LiveModule,
        HealthModule,
        ProbeModule,
        SourcesModule,
        PublicModule,
        OpenDataModule,
        AlertsModule,
        RollupsModule,
        ClusterModule,
        PlaybackModule,
      ],
    };
  }
}
