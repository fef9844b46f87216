import type { UserFilter } from '../storage/storage.js';

/** The fields `q` may name (Auth0's names). */
export const SEARCHABLE_USER_FIELDS = ['email', 'name', 'user_id'] as const;

export type UserQueryResult = { ok: true; filter: UserFilter } | { ok: false; problem: string };

const OPERATORS = new Set(['AND', 'OR', 'NOT', 'TO', '&&', '||']);

/**
 * Reads the subset of Auth0's user search syntax (`q`, Lucene) that Warden serves from indexes:
 *
 * - nothing, or `*`: every user;
 * - `email:"x"` or `email:x`: the user with that email (any letter case); `email:x*`: emails that
 *   start with `x`;
 * - `name:"x"` or `name:x`: that name (any letter case); `name:x*`: names that start with `x`;
 * - `user_id:"x"` or `user_id:x`: that user;
 * - a bare term, `x`, `x*` or `"x y"`: emails or names that start with it.
 *
 * `\` escapes the next character, in and out of quotes. Anything else (several terms, AND/OR/NOT,
 * groups, ranges, fuzzy and boost marks, `?` and inner `*` wildcards, other fields) is refused
 * with a problem naming it, never ignored: a search that silently dropped part of the query
 * would answer the wrong users.
 */
export function parseUserQuery(q: string): UserQueryResult {
  const text = q.trim();
  if (text === '' || text === '*') return { ok: true, filter: { kind: 'all' } };
  const tokens = split(text);
  if (!tokens.ok) return tokens;
  if (tokens.list.length > 1) {
    const operator = tokens.list.find((token) => OPERATORS.has(token.raw));
    return refuse(
      operator
        ? `${operator.raw} is not supported: search one field or term at a time`
        : `one field:value or one term only, not ${tokens.list.length} terms`,
    );
  }
  return parseTerm(tokens.list[0]!);
}

interface Token {
  /** As written. */
  raw: string;
  /** `field` when the token is `field:value`. */
  field?: string;
  /** Unescaped, without quotes. */
  value: string;
  quoted: boolean;
  /** Ends with an unescaped, unquoted `*`. */
  prefix: boolean;
}

function parseTerm(token: Token): UserQueryResult {
  const { field, value, prefix } = token;
  if (value === '') return refuse(`${token.raw} searches for nothing`);
  if (field === undefined) return { ok: true, filter: { kind: 'term', value } };
  switch (field) {
    case 'email':
      return { ok: true, filter: { kind: 'email', value, prefix } };
    case 'name':
      return { ok: true, filter: { kind: 'name', value, prefix } };
    case 'user_id':
      if (prefix) return refuse('user_id takes a whole id, not a prefix');
      return { ok: true, filter: { kind: 'id', value } };
    default:
      return refuse(
        `the field ${field} is not searchable in Warden (only ${SEARCHABLE_USER_FIELDS.join(', ')})`,
      );
  }
}

/** Splits on unquoted white space, reading each token's field, value, quotes and escapes. */
function split(text: string): { ok: true; list: Token[] } | { ok: false; problem: string } {
  const list: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let field: string | undefined;
    let value = '';
    let quoted = false;
    let prefix = false;
    let afterQuote = false;
    while (i < text.length && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (afterQuote) return refuse(`${text.slice(start, i + 1)}: nothing may follow a closing quote`);
      if (prefix) return refuse(`${text.slice(start, i + 1)}: * only at the end of a term (a prefix)`);
      if (c === '\\') {
        if (i + 1 >= text.length) return refuse('\\ at the end escapes nothing');
        value += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') {
        if (value !== '') return refuse(`${text.slice(start, i + 1)}: a quote only around a whole value`);
        const close = closingQuote(text, i + 1);
        if (close < 0) return refuse(`${text.slice(start)}: the quote is not closed`);
        value = text.slice(i + 1, close).replace(/\\(.)/g, '$1');
        quoted = true;
        afterQuote = true;
        i = close + 1;
        continue;
      }
      if (c === ':') {
        if (field !== undefined || value === '')
          return refuse(`${text.slice(start, i + 1)}: a : out of place`);
        field = value;
        value = '';
        i++;
        continue;
      }
      const problem = special(c, value === '' && field === undefined);
      if (problem) return refuse(problem);
      if (c === '*') prefix = true;
      else value += c;
      i++;
    }
    list.push({
      raw: text.slice(start, i),
      ...(field === undefined ? {} : { field }),
      value,
      quoted,
      prefix,
    });
  }
  return { ok: true, list };
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Why `c` cannot appear here, or undefined when it is plain text. */
function special(c: string, atStart: boolean): string | undefined {
  if (c === '(' || c === ')') return 'groups in parentheses are not supported';
  if (c === '[' || c === ']' || c === '{' || c === '}')
    return 'ranges ([a TO b], {a TO b}) are not supported';
  if (c === '~') return 'fuzzy and proximity searches (~) are not supported';
  if (c === '^') return 'boosts (^) are not supported';
  if (c === '?') return 'the ? wildcard is not supported (only * at the end of a term)';
  if (atStart && (c === '-' || c === '+' || c === '!'))
    return `${c} before a term (must, must not) is not supported`;
  return undefined;
}

function refuse(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}
