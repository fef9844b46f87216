import { describe, expect, it } from 'vitest';
import { LoginThrottle, tryAgainIn } from './login-throttle.js';

describe('LoginThrottle', () => {
  const settings = { perAccount: 3, perIp: 5, window: 60 };

  it('locks an account after its failed attempts, until the window ends', () => {
    let now = 0;
    const throttle = new LoginThrottle(settings, () => now);
    for (let i = 0; i < 3; i++) throttle.record('Bilbo', '10.0.0.1');
    expect(throttle.retryAfter('bilbo', '10.0.0.2')).toBe(60);
    now += 61_000;
    expect(throttle.retryAfter('bilbo', '10.0.0.2')).toBe(0);
  });

  it('locks an IP after its failed attempts across accounts', () => {
    const throttle = new LoginThrottle(settings, () => 0);
    for (let i = 0; i < 5; i++) throttle.record(`user${i}`, '10.0.0.1');
    expect(throttle.retryAfter('someone-else', '10.0.0.1')).toBeGreaterThan(0);
    expect(throttle.retryAfter('someone-else', '10.0.0.2')).toBe(0);
  });

  it('does not count successful sign-ins against a shared IP', () => {
    const throttle = new LoginThrottle(settings, () => 0);
    for (let i = 0; i < 100; i++) {
      throttle.record(`user${i}`, '192.0.2.7');
      throttle.reset(`user${i}`, '192.0.2.7');
    }
    expect(throttle.retryAfter('user100', '192.0.2.7')).toBe(0);
  });

  it('keeps at most maxKeys counters', () => {
    const throttle = new LoginThrottle(settings, () => 0, 10);
    for (let i = 0; i < 50; i++) throttle.record('a', `ip-${i}`);
    for (let i = 0; i < 3; i++) throttle.record('victim', 'x');
    expect(throttle.retryAfter('victim', 'y')).toBe(60);
    expect(throttle.retryAfter('a', 'ip-0')).toBe(0);
  });

  it('throttles by IP alone with retryAfterIp and recordIp, apart from account counters', () => {
    let now = 0;
    const throttle = new LoginThrottle(settings, () => now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.retryAfterIp('10.0.0.1')).toBe(0);
      throttle.recordIp('10.0.0.1');
    }
    expect(throttle.retryAfterIp('10.0.0.1')).toBe(60);
    expect(throttle.retryAfterIp('10.0.0.2')).toBe(0);
    now += 61_000;
    expect(throttle.retryAfterIp('10.0.0.1')).toBe(0);
  });

  it('says how many minutes to wait, rounded up', () => {
    expect(tryAgainIn(1)).toBe('Try again in 1 minute.');
    expect(tryAgainIn(61)).toBe('Try again in 2 minutes.');
    expect(tryAgainIn(900)).toBe('Try again in 15 minutes.');
  });
});
