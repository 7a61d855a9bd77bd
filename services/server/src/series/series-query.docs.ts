import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { NOISE_INDICATORS, SERIES_AGGREGATES, SERIES_WINDOW_NAMES, SERIES_ZONES } from '@meetnet/contracts';

/**
 * The series query in the OpenAPI document, declared once for every route that takes it
 * (GET /series, /export, /export/meta); a test keeps it equal to what the parser accepts.
 */
export const ApiSeriesQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'sensor',
      isArray: true,
      example: 'leuven/air/air-0001',
      description: 'city/domain/id; repeat for more',
    }),
    ApiQuery({ name: 'field', isArray: true, example: 'no2', description: 'repeat for more' }),
    ApiQuery({
      name: 'from',
      required: false,
      description: 'ISO 8601; a bare date is local midnight; default 24 hours before `to`',
    }),
    ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive; default now' }),
    ApiQuery({ name: 'window', required: false, enum: SERIES_WINDOW_NAMES, description: 'default 1h' }),
    ApiQuery({
      name: 'aggregate',
      required: false,
      enum: [...SERIES_AGGREGATES, ...NOISE_INDICATORS],
      description: 'default mean',
    }),
    ApiQuery({ name: 'tz', required: false, enum: SERIES_ZONES, description: 'default Europe/Brussels' }),
  );
