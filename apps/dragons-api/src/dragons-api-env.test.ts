import { describe, expect, it } from 'vitest';
import { readDragonsApiEnv } from './dragons-api-env.js';

describe('readDragonsApiEnv', () => {
  it("defaults to the article's set-up: :3001 beside the idp on :3000, the app on :4200", () => {
    expect(readDragonsApiEnv({})).toEqual({
      port: 3001,
      host: 'localhost',
      issuer: 'http://localhost:3000/',
      audience: 'http://localhost:3001/api/',
      allowedOrigins: ['http://localhost:4200'],
      revocation: true,
      maxStaleness: undefined,
      failClosed: false,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const env = readDragonsApiEnv({
      PORT: '8081',
      HOST: '0.0.0.0',
      WARDEN_ISSUER: 'https://id.example/',
      API_AUDIENCE: 'https://api.example/',
      DRAGONS_APP_ORIGIN: 'https://dragons.example, https://admin.dragons.example',
      WARDEN_REVOCATION_MAX_STALENESS: '45',
      WARDEN_REVOCATION_FAIL_CLOSED: 'true',
      LOG_LEVEL: 'warn',
    });
    expect(env).toMatchObject({
      port: 8081,
      host: '0.0.0.0',
      issuer: 'https://id.example/',
      audience: 'https://api.example/',
      allowedOrigins: ['https://dragons.example', 'https://admin.dragons.example'],
      maxStaleness: 45,
      failClosed: true,
      logLevel: 'warn',
    });
    expect(readDragonsApiEnv({ WARDEN_REVOCATION: 'off' }).revocation).toBe(false);
  });

  it('names the variable that is wrong', () => {
    expect(() => readDragonsApiEnv({ PORT: 'http' })).toThrow(/PORT/);
    expect(() => readDragonsApiEnv({ WARDEN_REVOCATION_FAIL_CLOSED: 'maybe' })).toThrow(
      /WARDEN_REVOCATION_FAIL_CLOSED/,
    );
    expect(() => readDragonsApiEnv({ WARDEN_REVOCATION_MAX_STALENESS: '-1' })).toThrow(
      /WARDEN_REVOCATION_MAX_STALENESS/,
    );
  });
});
