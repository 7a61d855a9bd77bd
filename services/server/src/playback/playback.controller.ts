import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DOMAINS, PLAYBACK_MAX_SENSORS, type PlaybackAnswer, WATCH_ROLES } from '@meetnet/contracts';
import { Roles } from '../auth/access-policy';
import { asBadRequest } from '../series/query-cost';
import { HeavyQuery } from '../series/query-slots';
import { parsePlaybackQuery } from './playback-query';
import { PlaybackService } from './playback.service';

@ApiTags('playback')
@Controller('playback')
@Roles(...WATCH_ROLES)
export class PlaybackController {
  constructor(private readonly playback: PlaybackService) {}

  @Get()
  @UseInterceptors(HeavyQuery)
  @ApiOperation({
    summary: "A past Brussels day of some layers, hour by hour, for the map's replay",
    description: `Hourly rollups, and raw data for the hours they do not hold yet. Counts are the hour's totals, levels its energetic mean, the rest its mean. At most ${PLAYBACK_MAX_SENSORS} sensors: a larger fleet asks for its view with \`bbox\`.`,
  })
  @ApiQuery({ name: 'layers', example: 'air,noise', description: `comma-separated: ${DOMAINS.join(', ')}` })
  @ApiQuery({ name: 'date', example: '2026-12-01', description: 'the local day' })
  @ApiQuery({
    name: 'bbox',
    required: false,
    example: '4.65,50.85,4.75,50.92',
    description: 'west,south,east,north',
  })
  @ApiOkResponse({
    description: '{ date, hours, tiers, layers: [{ domain, fields, sensors: [{ key, lat, lon, frames }] }] }',
  })
  async day(@Query() input: Record<string, unknown>): Promise<PlaybackAnswer> {
    let query;
    try {
      query = parsePlaybackQuery(input);
    } catch (error) {
      asBadRequest(error);
    }
    return this.playback.day(query).catch(asBadRequest);
  }
}
