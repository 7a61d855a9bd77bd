import { Module } from '@nestjs/common';
import { RollupsModule } from '../rollups/rollups.module';
import { SensorRegistryModule } from '../sensors/sensor-registry.module';
import { SeriesModule } from '../series/series.module';
import { PlaybackController } from './playback.controller';
import { PlaybackService } from './playback.service';

/** Replays of a past day on the map, from the rollups. */
@Module({
  imports: [RollupsModule, SensorRegistryModule, SeriesModule],
  controllers: [PlaybackController],
  providers: [PlaybackService],
})
export class PlaybackModule {}
