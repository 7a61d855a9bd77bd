import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { InjectConfig } from '../config/config-slice';
import { publicConfig, type PublicSettings } from '../public/public.config';
import { openDataConfig, type OpenDataSettings } from './open-data.config';

/**
 * What every open-data answer says about itself: its licence (a `license` link, RFC 8288 and
 * RFC 4946) and how long it may be cached. ETags come from express on every JSON answer.
 */
@Injectable()
export class OpenDataHeaders {
  constructor(
    @InjectConfig(openDataConfig) private readonly openData: OpenDataSettings,
    @InjectConfig(publicConfig) private readonly publicSettings: PublicSettings,
  ) {}

  get licence(): string {
    return this.openData.licence;
  }

  apply(response: Response, maxAgeS = this.publicSettings.cacheS, immutable = false): void {
    response.append('Link', `<${this.openData.licence}>; rel="license"`);
    response.setHeader('Cache-Control', `public, max-age=${maxAgeS}${immutable ? ', immutable' : ''}`);
  }
}
