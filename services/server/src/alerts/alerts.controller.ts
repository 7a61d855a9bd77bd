import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  ADMIN_ROLES,
  ALERT_PRESETS,
  ALERT_ID_PATTERN,
  type AlertChannelStatus,
  type AlertEpisode,
  type AlertRule,
  type AlertRuleInput,
  WATCH_ROLES,
} from '@meetnet/contracts';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { Roles } from '../auth/access-policy';
import type { AuthenticatedRequest } from '../auth/session.guard';
import type { Session } from '../auth/session-tokens.service';
import { csvOptions, guardCell } from '../export/csv-cell';
import { AlertDispatcher } from './alert-dispatcher.service';
import { AlertEpisodesStore } from './alert-episodes.store';
import { AlertEvaluator } from './alert-evaluator.service';
import { AlertRulesStore } from './alert-rules.store';
import { parseEpisodesQuery } from './episodes-query';

const CSV_COLUMNS = [
  'id',
  'rule_id',
  'rule_name',
  'sensor',
  'start',
  'end',
  'peak',
  'unit',
  'threshold',
  'coverage',
  'acknowledged_by',
  'resolved_by',
] as const;

/** Alert rules for admins; episodes for the people each rule names. */
@ApiTags('alerts')
@Controller('alerts')
@Roles(...WATCH_ROLES)
export class AlertsController {
  constructor(
    private readonly rules: AlertRulesStore,
    private readonly evaluator: AlertEvaluator,
    private readonly episodes: AlertEpisodesStore,
    private readonly dispatcher: AlertDispatcher,
  ) {}

  @Get('episodes')
  @ApiOperation({
    summary:
      'Alert episodes of the rules addressed to you: open ones (default), or all that started in from–to (30 days by default), as JSON or CSV',
  })
  @ApiQuery({ name: 'state', required: false, enum: ['open', 'all'] })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601' })
  @ApiQuery({ name: 'rule', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async list(
    @Query() input: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ episodes: AlertEpisode[] } | string> {
    const query = parseEpisodesQuery(input);
    let found = this.evaluator.openEpisodes();
    if (query.state === 'all') {
      const known = new Map([...this.evaluator.recentlyClosed(), ...found].map((e) => [e.id, e]));
      const stored = await this.episodes.between(query.from, query.to, query.rule);
      for (const episode of stored) if (!known.has(episode.id)) known.set(episode.id, episode);
      found = [...known.values()].filter((e) => e.start >= query.from && e.start < query.to);
    }
    const mine = found
      .filter(
        (episode) =>
          (!query.rule || episode.ruleId === query.rule) &&
          this.addressedTo(episode, request.meetnetSession!),
      )
      .sort((a, b) => b.start - a.start);
    if (query.format === 'json') return { episodes: mine };
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', 'attachment; filename="meetnet-meldingen.csv"');
    const rows = mine.map((e) => [
      e.id,
      e.ruleId,
      guardCell(e.ruleName),
      e.key,
      new Date(e.start).toISOString(),
      e.end === undefined ? '' : new Date(e.end).toISOString(),
      e.peak,
      e.unit,
      e.threshold,
      e.coverage,
      guardCell(e.acknowledgedBy ?? ''),
      guardCell(e.resolvedBy ?? ''),
    ]);
    return `\uFEFF${stringify([[...CSV_COLUMNS], ...rows], csvOptions(','))}`;
  }

  @Post('episodes/:id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Says you have seen an open episode; everyone it is addressed to sees who did' })
  acknowledge(@Param('id') id: string, @Req() request: AuthenticatedRequest): AlertEpisode {
    const session = request.meetnetSession!;
    this.mineOr404(id, session);
    return this.evaluator.acknowledge(id, session.name)!;
  }

  @Post('episodes/:id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Closes an open episode by hand (if the value is still above, a new one opens)' })
  resolve(@Param('id') id: string, @Req() request: AuthenticatedRequest): AlertEpisode {
    const session = request.meetnetSession!;
    this.mineOr404(id, session);
    return this.evaluator.resolve(id, session.name)!;
  }

  @Get('rules')
  @ApiOperation({ summary: 'Every alert rule, with its version and who changed it last' })
  listRules(): readonly AlertRule[] {
    return this.rules.all();
  }

  @Get('presets')
  @ApiOperation({
    summary:
      'The shipped rules from real limits (WHO 2021, EU 2008/50, WHO 2018 noise), each with its source',
  })
  presets(): Record<string, AlertRuleInput> {
    return ALERT_PRESETS;
  }

  @Put('rules/:id')
  @Roles(...ADMIN_ROLES)
  @ApiOperation({
    summary:
      'Creates or replaces a rule (its version goes up); a rule that makes no sense is a 400 that says why',
  })
  putRule(@Param('id') id: string, @Body() body: unknown, @Req() request: AuthenticatedRequest): AlertRule {
    if (!ALERT_ID_PATTERN.test(id))
      throw new BadRequestException(`Invalid rule id ${id}: lower-case letters, digits and -, at most 63`);
    const by = request.meetnetSession!.name;
    const rule = this.rules.put(id, body, by);
    this.evaluator.ruleChanged(id, by);
    return rule;
  }

  @Delete('rules/:id')
  @Roles(...ADMIN_ROLES)
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a rule; its open episodes are closed' })
  removeRule(@Param('id') id: string, @Req() request: AuthenticatedRequest): void {
    const by = request.meetnetSession!.name;
    if (!this.rules.remove(id, by)) throw new NotFoundException(`No rule ${id}`);
    this.evaluator.ruleChanged(id, by);
  }

  @Get('channels')
  @Roles(...ADMIN_ROLES)
  @ApiOperation({
    summary: 'Each webhook and e-mail channel: delivered, failed attempts, pending, dead letters',
  })
  channels(): AlertChannelStatus[] {
    return this.dispatcher.status();
  }

  private addressedTo(episode: AlertEpisode, session: Session): boolean {
    if (session.roles.includes('admin')) return true;
    const roles = this.rules.get(episode.ruleId)?.recipients.roles ?? [];
    return session.roles.some((role) => roles.includes(role));
  }

  private mineOr404(id: string, session: Session): AlertEpisode {
    const episode = this.evaluator.find(id);
    if (!episode || !this.addressedTo(episode, session))
      throw new NotFoundException(`No alert episode ${id}`);
    return episode;
  }
}
