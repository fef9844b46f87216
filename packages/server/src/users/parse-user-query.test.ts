import { describe, expect, it } from 'vitest';
import { parseUserQuery } from './parse-user-query.js';

describe('parseUserQuery', () => {
  it.each([
    ['', { kind: 'all' }],
    ['  *  ', { kind: 'all' }],
    ['email:"Bilbo@Example.com"', { kind: 'email', value: 'Bilbo@Example.com', prefix: false }],
    ['email:bilbo+shire@example.com', { kind: 'email', value: 'bilbo+shire@example.com', prefix: false }],
    ['email:bil*', { kind: 'email', value: 'bil', prefix: true }],
    ['name:"Bilbo Baggins"', { kind: 'name', value: 'Bilbo Baggins', prefix: false }],
    ['name:Bilbo', { kind: 'name', value: 'Bilbo', prefix: false }],
    ['name:bil*', { kind: 'name', value: 'bil', prefix: true }],
    ['name:"bil*"', { kind: 'name', value: 'bil*', prefix: false }],
    ['user_id:"user_1"', { kind: 'id', value: 'user_1' }],
    ['user_id:github|42', { kind: 'id', value: 'github|42' }],
    ['bilbo', { kind: 'term', value: 'bilbo' }],
    ['bil*', { kind: 'term', value: 'bil' }],
    ['"Bilbo Bag"', { kind: 'term', value: 'Bilbo Bag' }],
    ['name:"say \\"hi\\""', { kind: 'name', value: 'say "hi"', prefix: false }],
    ['email:a\\:b@example.com', { kind: 'email', value: 'a:b@example.com', prefix: false }],
  ])('reads %j', (q, filter) => {
    expect(parseUserQuery(q)).toEqual({ ok: true, filter });
  });

  it.each([
    ['email:a@example.com AND name:x', /AND is not supported/],
    ['bilbo OR frodo', /OR is not supported/],
    ['bilbo baggins', /one field:value or one term only, not 2 terms/],
    ['NOT bilbo', /NOT is not supported/],
    ['-name:bilbo', /- before a term/],
    ['(name:bilbo)', /groups in parentheses/],
    ['created_at:[2020 TO 2021]', /ranges/],
    ['name:bilbo~', /fuzzy/],
    ['name:bilbo^2', /boosts/],
    ['name:b?lbo', /the \? wildcard/],
    ['name:*ilbo', /searches for nothing|\* only at the end/],
    ['name:bi*bo', /\* only at the end/],
    ['app_metadata.plan:gold', /the field app_metadata\.plan is not searchable/],
    ['phone_number:1', /the field phone_number is not searchable in Warden \(only email, name, user_id\)/],
    ['user_id:github*', /user_id takes a whole id/],
    ['email:"a@example.com', /the quote is not closed/],
    ['email:"a"b', /nothing may follow a closing quote/],
    ['email:', /searches for nothing/],
    [':x', /a : out of place/],
    ['name:a:b', /a : out of place/],
    ['x\\', /escapes nothing/],
  ])('refuses %j, naming what', (q, problem) => {
    const result = parseUserQuery(q);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(problem);
  });
});
