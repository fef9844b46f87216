import type { LogCondition, LogFilter, LogTextField } from '../storage/storage.js';

/** A `q` the log search does not take; the message says what is wrong, for a 400. */
export class LogQueryError extends Error {
  override name = 'LogQueryError';
}

/** The fields `q` searches, by their names in Auth0's log shape. */
const fields: Record<string, LogTextField | 'date'> = {
  type: 'type',
  user_id: 'userId',
  user_name: 'userName',
  client_id: 'clientId',
  client_name: 'clientName',
  connection: 'connection',
  ip: 'ip',
  date: 'date',
};

const MAX_QUERY = 1024;
const MAX_TERMS = 32;

type Term =
  | { kind: 'text'; name: string; field: LogTextField; value: string }
  | { kind: 'date'; name: string; from?: number; to?: number };
type Token = { kind: '(' | ')' | 'AND' | 'OR' } | { kind: 'term'; term: Term };

/**
 * Parses a log search (`q`), a small subset of Auth0's Lucene syntax:
 *
 * - `field:value`, exact and case-sensitive, for `type`, `user_id`, `user_name`, `client_id`,
 *   `client_name`, `connection` and `ip`; a value with spaces, parentheses or quotes goes in double
 *   quotes (`\"` and `\\` inside);
 * - `date:[FROM TO TO]`, inclusive (`{…}` exclusive, mixable), each end an ISO 8601 date
 *   (`2024-05-01`: the whole day, UTC), date-time (`2024-05-01T12:00:00Z`; no zone means UTC) or
 *   `*` (open);
 * - terms joined by `AND` or a space (all must hold); values of one field joined by `OR`, in
 *   parentheses when the query has other terms: `(type:f OR type:fp) AND user_id:X`.
 *
 * Refuses (`LogQueryError`, naming the problem) anything else: other fields, wildcards, `NOT`,
 * `OR` across fields, fuzzy or range queries on text, queries over 1024 characters or 32 terms.
 * An empty query is no filter.
 */
export function parseLogQuery(q: string): LogFilter {
  if (typeof q !== 'string') throw new LogQueryError('q must be a string');
  if (q.length > MAX_QUERY) throw new LogQueryError(`q is longer than ${MAX_QUERY} characters`);
  const tokens = tokenize(q);
  if (tokens.filter((token) => token.kind === 'term').length > MAX_TERMS) {
    throw new LogQueryError(`q has more than ${MAX_TERMS} terms`);
  }
  const groups: Term[][] = [];
  let bareOr = false;
  let position = 0;
  while (position < tokens.length) {
    if (groups.length > 0 && tokens[position]?.kind === 'AND') position += 1;
    const token = tokens[position];
    if (token === undefined) throw new LogQueryError('q ends with AND');
    if (token.kind === '(') {
      const close = tokens.findIndex((candidate, index) => index > position && candidate.kind === ')');
      if (close < 0) throw new LogQueryError('q has a "(" without ")"');
      groups.push(alternatives(tokens.slice(position + 1, close)));
      position = close + 1;
    } else {
      let end = position + 1;
      while (tokens[end]?.kind === 'OR') end += 2;
      if (end > position + 1) bareOr = true;
      groups.push(alternatives(tokens.slice(position, end)));
      position = end;
    }
  }
  if (bareOr && groups.length > 1) {
    throw new LogQueryError('put values joined by OR in parentheses when q has other terms');
  }
  return groups.map(condition);
}

/** `term (OR term)*`, all of one field. */
function alternatives(tokens: Token[]): Term[] {
  const terms: Term[] = [];
  for (const [index, token] of tokens.entries()) {
    const expected = index % 2 === 0 ? 'term' : 'OR';
    if (token.kind !== expected) {
      throw new LogQueryError(
        token.kind === '('
          ? 'q cannot nest parentheses'
          : token.kind === ')'
            ? 'q has a ")" without "("'
            : token.kind === 'term'
              ? 'join values of one field with OR inside parentheses'
              : `q has ${token.kind} where a field:value belongs`,
      );
    }
    if (token.kind === 'term') terms.push(token.term);
  }
  if (terms.length === 0 || tokens.length % 2 === 0)
    throw new LogQueryError('q has an empty or unfinished group');
  const first = terms[0]!;
  if (terms.some((term) => term.name !== first.name)) {
    throw new LogQueryError('OR joins values of one field only');
  }
  if (first.kind === 'date' && terms.length > 1)
    throw new LogQueryError('date ranges cannot be joined by OR');
  return terms;
}

function condition(terms: Term[]): LogCondition {
  const first = terms[0]!;
  if (first.kind === 'date') {
    return {
      field: 'date',
      ...(first.from !== undefined ? { from: first.from } : {}),
      ...(first.to !== undefined ? { to: first.to } : {}),
    };
  }
  return {
    field: first.field,
    anyOf: [...new Set(terms.map((term) => (term.kind === 'text' ? term.value : '')))],
  };
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < q.length) {
    const char = q[at]!;
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char });
      at += 1;
    } else {
      const word = /^[A-Za-z_]+/.exec(q.slice(at))?.[0] ?? '';
      const after = at + word.length;
      if (q[after] !== ':') {
        const operator = /^[^\s()]+/.exec(q.slice(at))![0];
        if (operator === 'AND' || operator === 'OR') tokens.push({ kind: operator });
        else if (operator === 'NOT' || operator === '!' || operator === '-')
          throw new LogQueryError('q cannot use NOT');
        else throw new LogQueryError(`q has "${operator}" where a field:value belongs`);
        at += operator.length;
      } else {
        const [term, end] = readTerm(q, word, after + 1);
        tokens.push({ kind: 'term', term });
        at = end;
      }
    }
  }
  return tokens;
}

function readTerm(q: string, name: string, at: number): [Term, number] {
  const field = fields[name];
  if (field === undefined) {
    throw new LogQueryError(`q cannot search "${name}": use ${Object.keys(fields).join(', ')}`);
  }
  if (field === 'date') {
    const match = /^([[{])\s*(\S+)\s+TO\s+(\S+?)\s*([\]}])/.exec(q.slice(at));
    if (!match) throw new LogQueryError('date takes a range: date:[2024-05-01 TO 2024-05-31]');
    const [whole, open, from, to, close] = match as unknown as [string, string, string, string, string];
    const range: Term = { kind: 'date', name };
    const start = dateBound(from, open === '[' ? 'start' : 'after');
    const end = dateBound(to, close === ']' ? 'end' : 'before');
    if (start !== undefined) range.from = start;
    if (end !== undefined) range.to = end;
    return [range, at + whole.length];
  }
  if (q[at] === '"') {
    let value = '';
    let index = at + 1;
    for (; index < q.length && q[index] !== '"'; index += 1) {
      if (q[index] === '\\') {
        index += 1;
        if (q[index] !== '"' && q[index] !== '\\')
          throw new LogQueryError('inside quotes, \\ escapes only " and \\');
      }
      value += q[index] ?? '';
    }
    if (index >= q.length) throw new LogQueryError(`the value of ${name} has no closing quote`);
    return [{ kind: 'text', name, field, value }, index + 1];
  }
  const value = /^[^\s()]*/.exec(q.slice(at))![0];
  if (value === '') throw new LogQueryError(`${name}: has no value`);
  if (/["*?~\\]|^[[{]/.test(value)) {
    throw new LogQueryError(
      `${name}:${value} is not an exact value: wildcards, ranges and fuzzy terms are not supported (quote it if it is one)`,
    );
  }
  return [{ kind: 'text', name, field, value }, at + value.length];
}

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?$/;

/**
 * One end of a date range in epoch ms (undefined: open). A date alone covers its whole day (UTC):
 * an inclusive end reaches its last millisecond, an exclusive start begins after it.
 */
function dateBound(text: string, side: 'start' | 'after' | 'end' | 'before'): number | undefined {
  if (text === '*') return undefined;
  const day = DATE.exec(text);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== text) {
      throw new LogQueryError(`${text} is not a date`);
    }
    if (side === 'start') return start;
    if (side === 'after' || side === 'end') return start + DAY - (side === 'end' ? 1 : 0);
    return start - 1;
  }
  if (!DATE_TIME.test(text)) {
    throw new LogQueryError(
      `${text} is not an ISO 8601 date (2024-05-01) or date-time (2024-05-01T12:00:00Z)`,
    );
  }
  const time = Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(time)) throw new LogQueryError(`${text} is not a date-time`);
  if (side === 'after') return time + 1;
  if (side === 'before') return time - 1;
  return time;
}
