import { describe, expect, it } from 'vitest';
import { LogQueryError, parseLogQuery } from './log-query.js';

const day = Date.UTC(2024, 4, 1);

describe('parseLogQuery', () => {
  it('reads nothing as no filter', () => {
    expect(parseLogQuery('')).toEqual([]);
    expect(parseLogQuery('   ')).toEqual([]);
  });

  it('reads each searchable field, by its name in Auth0 log shape', () => {
    expect(
      parseLogQuery(
        'type:fp user_id:auth0|abc client_id:c1 connection:Username-Password-Authentication ip:::1 user_name:a@b.example client_name:"Dragons app"',
      ),
    ).toEqual([
      { field: 'type', anyOf: ['fp'] },
      { field: 'userId', anyOf: ['auth0|abc'] },
      { field: 'clientId', anyOf: ['c1'] },
      { field: 'connection', anyOf: ['Username-Password-Authentication'] },
      { field: 'ip', anyOf: ['::1'] },
      { field: 'userName', anyOf: ['a@b.example'] },
      { field: 'clientName', anyOf: ['Dragons app'] },
    ]);
  });

  it('joins terms by AND or a space, and values of one field by OR', () => {
    const expected = [
      { field: 'type', anyOf: ['f', 'fp', 'fu'] },
      { field: 'userId', anyOf: ['u1'] },
    ];
    expect(parseLogQuery('(type:f OR type:fp OR type:fu) AND user_id:u1')).toEqual(expected);
    expect(parseLogQuery('(type:f OR type:fp OR type:fu) user_id:u1')).toEqual(expected);
    expect(parseLogQuery('type:s OR type:f')).toEqual([{ field: 'type', anyOf: ['s', 'f'] }]);
  });

  it('reads quoted values with escapes', () => {
    expect(parseLogQuery('user_name:"say \\"hi\\" \\\\ (ok)"')).toEqual([
      { field: 'userName', anyOf: ['say "hi" \\ (ok)'] },
    ]);
  });

  it('reads date ranges: a date covers its whole day, UTC; * is open; braces exclude', () => {
    expect(parseLogQuery('date:[2024-05-01 TO 2024-05-01]')).toEqual([
      { field: 'date', from: day, to: day + 86_400_000 - 1 },
    ]);
    expect(parseLogQuery('date:{2024-05-01 TO 2024-05-03}')).toEqual([
      { field: 'date', from: day + 86_400_000, to: day + 2 * 86_400_000 - 1 },
    ]);
    expect(parseLogQuery('date:[2024-05-01T12:00:00Z TO *]')).toEqual([
      { field: 'date', from: day + 12 * 3_600_000 },
    ]);
    expect(parseLogQuery('date:[* TO 2024-05-01T02:00:00+02:00}')).toEqual([{ field: 'date', to: day - 1 }]);
    expect(parseLogQuery('date:[2024-05-01T12:00 TO *]')).toEqual([
      { field: 'date', from: day + 12 * 3_600_000 },
    ]);
  });

  it.each([
    ['password:x', /cannot search "password"/],
    ['details:x', /cannot search "details"/],
    ['type:s*', /wildcards/],
    ['user_id:a?c', /wildcards/],
    ['user_id:abc~', /fuzzy/],
    ['type:[a TO b]', /ranges/],
    ['NOT type:s', /NOT/],
    ['type:s OR user_id:x', /one field/],
    ['type:s OR type:f AND user_id:u', /parentheses/],
    ['(type:s OR (type:f))', /nest/],
    ['(type:s OR type:f', /without "\)"/],
    ['type:s)', /without "\("/],
    ['(type:s OR)', /unfinished/],
    ['()', /empty/],
    ['type:s AND', /ends with AND/],
    ['AND type:s', /AND where a field:value belongs/],
    ['hello', /"hello" where a field:value belongs/],
    ['type:', /no value/],
    ['user_name:"open', /no closing quote/],
    ['user_name:"a\\b"', /escapes only/],
    ['date:2024-05-01', /takes a range/],
    ['date:[2024-02-30 TO *]', /not a date/],
    ['date:[yesterday TO *]', /not an ISO 8601 date/],
    ['date:[2024-05-01 TO *] OR date:[* TO 2024-06-01]', /cannot be joined by OR/],
    [`type:${'x'.repeat(1100)}`, /longer than 1024/],
    [Array.from({ length: 33 }, () => 'type:s').join(' '), /more than 32 terms/],
  ])('refuses %s, saying why', (q, message) => {
    expect(() => parseLogQuery(q)).toThrow(LogQueryError);
    expect(() => parseLogQuery(q)).toThrow(message);
  });
});
