import { describe, expect, it } from 'vitest';
import { discord } from '../presets/discord.js';
import { facebook } from '../presets/facebook.js';
import { github } from '../presets/github.js';
import { x } from '../presets/x.js';
import { mapProfile } from './map-profile.js';
import { OAUTH2_MAPPING, OIDC_MAPPING } from './profile-mapping.js';

describe('mapProfile', () => {
  it('reads the OpenID standard claims', () => {
    const raw = {
      sub: 'abc',
      email: 'a@example.com',
      email_verified: true,
      name: 'Ann Bee',
      given_name: 'Ann',
      family_name: 'Bee',
      preferred_username: 'ann',
      picture: 'https://img.example/a.png',
      locale: 'en-GB',
    };
    expect(mapProfile(raw, OIDC_MAPPING, 'oidc|c')).toEqual({
      id: 'abc',
      provider: 'oidc|c',
      email: 'a@example.com',
      emailVerified: true,
      name: 'Ann Bee',
      givenName: 'Ann',
      familyName: 'Bee',
      nickname: 'ann',
      picture: 'https://img.example/a.png',
      locale: 'en-GB',
      raw,
    });
  });

  it.each<[unknown, string]>([
    [12345, '12345'],
    ['u-1', 'u-1'],
    [1.5, ''],
    [-1, ''],
    [2 ** 60, ''],
    [{ id: 1 }, ''],
    [true, ''],
    [undefined, ''],
  ])('takes the id %j as %j (the server refuses an empty one)', (id, expected) => {
    expect(mapProfile({ id }, OAUTH2_MAPPING, 'p').id).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
    [1, false],
    ['yes', false],
    [undefined, false],
  ])('counts %j as a verified email: %s', (verified, expected) => {
    expect(mapProfile({ sub: 's', email_verified: verified }, OIDC_MAPPING, 'p').emailVerified).toBe(
      expected,
    );
  });

  it('takes text only for text fields', () => {
    const profile = mapProfile(
      { sub: 's', name: 42, email: ['a@example.com'], picture: '' },
      OIDC_MAPPING,
      'p',
    );
    expect(profile).toMatchObject({ name: undefined, email: undefined, picture: undefined });
  });

  it('walks own properties only', () => {
    const profile = mapProfile(
      { id: 'i' },
      { id: 'id', name: 'constructor.name', locale: '__proto__.x' },
      'p',
    );
    expect(profile).toMatchObject({ id: 'i', name: undefined, locale: undefined });
  });

  it('reads GitHub, Facebook and X profiles with their presets', () => {
    const gh = {
      id: 583231,
      login: 'octocat',
      name: 'The Octocat',
      email: null,
      avatar_url: 'https://a.example/1',
    };
    expect(mapProfile(gh, { ...OAUTH2_MAPPING, ...github.mapping }, 'github')).toMatchObject({
      id: '583231',
      nickname: 'octocat',
      name: 'The Octocat',
      email: undefined,
      picture: 'https://a.example/1',
    });
    const fb = {
      id: '10',
      name: 'F B',
      first_name: 'F',
      last_name: 'B',
      picture: { data: { url: 'https://fb.example/p' } },
    };
    expect(mapProfile(fb, { ...OAUTH2_MAPPING, ...facebook.mapping }, 'facebook')).toMatchObject({
      id: '10',
      givenName: 'F',
      familyName: 'B',
      picture: 'https://fb.example/p',
      emailVerified: false,
    });
    const tw = {
      data: {
        id: '2244994945',
        name: 'X Dev',
        username: 'XDevelopers',
        profile_image_url: 'https://pbs.example/x.jpg',
      },
    };
    expect(mapProfile(tw, { ...OAUTH2_MAPPING, ...x.mapping }, 'twitter')).toMatchObject({
      id: '2244994945',
      name: 'X Dev',
      nickname: 'XDevelopers',
      picture: 'https://pbs.example/x.jpg',
    });
  });

  it("makes Discord's avatar URL from its template, and none when a part is missing", () => {
    const mapping = { ...OAUTH2_MAPPING, ...discord.mapping };
    const user = {
      id: '80351110224678912',
      username: 'nelly',
      global_name: null,
      avatar: 'a_8342729096ea3675442027381ff50dfe',
      verified: true,
      email: 'n@example.com',
    };
    expect(mapProfile(user, mapping, 'discord')).toMatchObject({
      id: '80351110224678912',
      name: 'nelly',
      nickname: 'nelly',
      emailVerified: true,
      picture: 'https://cdn.discordapp.com/avatars/80351110224678912/a_8342729096ea3675442027381ff50dfe.png',
    });
    expect(mapProfile({ ...user, avatar: null }, mapping, 'discord').picture).toBeUndefined();
  });

  it('percent-encodes what it puts in a template', () => {
    expect(
      mapProfile({ id: 'a/b?c' }, { id: 'id', picture: 'https://cdn.example/{id}.png' }, 'p').picture,
    ).toBe('https://cdn.example/a%2Fb%3Fc.png');
  });
});
