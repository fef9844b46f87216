import { describe, expect, it } from 'vitest';
import { describeScope, describeScopes } from './scope-descriptions.js';

describe('describeScope', () => {
  it('describes the OpenID Connect scopes in plain words', () => {
    expect(describeScope('openid')).toBe('Confirm who you are with your Warden account');
    expect(describeScope('profile')).toBe('See your name and basic profile information');
    expect(describeScope('email')).toBe('See your email address');
    expect(describeScope('offline_access')).toBe(
      'Stay connected to your account when you are not using the app',
    );
  });

  it('reads verb:resource API scopes as a sentence', () => {
    expect(describeScope('read:dragons')).toBe('Read dragons');
    expect(describeScope('write:orders')).toBe('Create and change orders');
    expect(describeScope('delete:dragon_eggs')).toBe('Delete dragon eggs');
    expect(describeScope('feed:baby-dragons')).toBe('Feed baby dragons');
    expect(describeScope('read:dragons:eggs')).toBe('Read dragons eggs');
  });

  it('falls back to "Access <scope>" for anything else', () => {
    expect(describeScope('dragons')).toBe('Access dragons');
    expect(describeScope('read:')).toBe('Access read:');
    expect(describeScope(':x')).toBe('Access :x');
  });

  it('pairs scopes with their descriptions in order', () => {
    expect(describeScopes(['email', 'read:dragons'])).toEqual([
      { name: 'email', description: 'See your email address' },
      { name: 'read:dragons', description: 'Read dragons' },
    ]);
  });
});
