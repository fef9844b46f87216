import { OAUTH_ERROR_CODES } from '@warden/protocol';
import { expect } from 'vitest';

/** What a refused request must look like. */
export interface Refusal {
  /** OAuth JSON (protocol endpoints) or the HTML error page (browser endpoints). */
  kind: 'json' | 'page';
  status?: number;
  error?: string;
}

/** Anything that would betray internals: a stack frame, a file, a driver's error. */
export const stackTrace =
  /\bat [\w$.<>]+ \(|at async |node_modules|\.ts:\d+|\.js:\d+|Error: |TypeError|SQLITE|kysely/i;

/**
 * Asserts a 4xx refusal: OAuth JSON with only a registered `error` code and a description, or the
 * HTML error page naming a registered code (and no redirect); never a stack trace.
 */
export async function expectRefusal(response: Response, expected: Refusal): Promise<void> {
  const body = await response.text();
  expect(response.status, body.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(response.status, body.slice(0, 300)).toBeLessThan(500);
  if (expected.status !== undefined) expect(response.status, body.slice(0, 300)).toBe(expected.status);
  expect(body).not.toMatch(stackTrace);
  if (expected.kind === 'json') {
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = JSON.parse(body) as { error: string; error_description: string };
    expect(OAUTH_ERROR_CODES).toContain(json.error);
    expect(json.error_description).toBeTypeOf('string');
    if (expected.error !== undefined) expect(json.error).toBe(expected.error);
    expect(Object.keys(json).sort()).toEqual(['error', 'error_description']);
  } else {
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('location')).toBeNull();
    const code = /Error code: <code>([a-z_]+)<\/code>/.exec(body)?.[1];
    expect(OAUTH_ERROR_CODES).toContain(code);
    if (expected.error !== undefined) expect(code).toBe(expected.error);
  }
}
