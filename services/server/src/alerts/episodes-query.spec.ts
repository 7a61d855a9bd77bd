import { BadRequestException } from '@nestjs/common';
import { parseEpisodesQuery } from './episodes-query';

const now = Date.parse('2026-12-02T12:00:00Z');

describe('the episodes query', () => {
  it('defaults to open episodes as JSON, over the last 30 days', () => {
    expect(parseEpisodesQuery({}, now)).toEqual({
      state: 'open',
      format: 'json',
      from: now + 1 - 30 * 86_400_000,
      to: now + 1,
    });
  });

  it.each([
    [{ state: 'closed' }, 'state'],
    [{ from: 'yesterday' }, 'from'],
    [{ rule: 'Bad_Id' }, 'rule'],
    [{ format: 'xlsx' }, 'format'],
    [{ limit: '10' }, 'limit'],
    [{ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }, 'must be before'],
    [{ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'more than 400 days'],
  ])('refuses %j with a reason naming %s', (query, named) => {
    expect(() => parseEpisodesQuery(query, now)).toThrow(BadRequestException);
    expect(() => parseEpisodesQuery(query, now)).toThrow(named);
  });
});
