// Angular's libraries ship partially compiled; the JIT linker finishes them when tests load them.
import '@angular/compiler';
import { DOCUMENT } from '@angular/common';
import { type HttpEvent, HttpHeaders, HttpRequest, HttpResponse } from '@angular/common/http';
import { createEnvironmentInjector, type EnvironmentInjector, Injector } from '@angular/core';
import { firstValueFrom, type Observable, of } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createTestInjector,
  daenerys,
  FakeWardenClient,
  fakeWindow,
  inContext,
} from '../test/fake-warden-client.js';
import { createApiUrlMatcher } from './api-url-matcher.js';
import { authInterceptor } from './auth-interceptor.js';
import { provideWarden } from './provide-warden.js';
import { WARDEN_API_URLS } from './warden-config.js';

let client: FakeWardenClient;
let sent: HttpRequest<unknown>[];

function send(request: HttpRequest<unknown>): Promise<HttpEvent<unknown>> {
  const injector = createTestInjector(client, [
    { provide: WARDEN_API_URLS, useValue: createApiUrlMatcher(['http://localhost:3001/api/']) },
    { provide: DOCUMENT, useValue: { baseURI: 'http://localhost:4200/' } },
  ]);
  const next = (forwarded: HttpRequest<unknown>): Observable<HttpEvent<unknown>> => {
    sent.push(forwarded);
    return of(new HttpResponse({ status: 200 }));
  };
  return firstValueFrom(inContext(injector, () => authInterceptor(request, next)));
}

const get = (url: string, headers?: HttpHeaders) => new HttpRequest('GET', url, headers ? { headers } : {});

describe('authInterceptor', () => {
  beforeEach(() => {
    client = new FakeWardenClient();
    client.token = 'access-token';
    client.finishStart({ outcome: 'restored' }, daenerys);
    sent = [];
  });

  it('attaches the bearer token to the configured API URLs', async () => {
    await send(get('http://localhost:3001/api/dragons'));
    expect(sent[0]?.headers.get('Authorization')).toBe('Bearer access-token');
  });

  it('sends no token anywhere else: other origins, other paths, the idp, the app itself', async () => {
    for (const url of [
      'http://localhost:3001/health',
      'http://localhost:3000/userinfo',
      'https://cdn.example.com/api/dragons',
      '/api/dragons',
      'config.json',
    ]) {
      await send(get(url));
    }
    expect(sent).toHaveLength(5);
    for (const request of sent) expect(request.headers.has('Authorization')).toBe(false);
  });

  it('leaves a request that brings its own Authorization header as it is', async () => {
    await send(get('http://localhost:3001/api/dragons', new HttpHeaders({ Authorization: 'Basic abc' })));
    expect(sent[0]?.headers.get('Authorization')).toBe('Basic abc');
  });

  it('fails an API request without sending it when nobody is signed in', async () => {
    client.token = undefined;
    await expect(send(get('http://localhost:3001/api/dragons'))).rejects.toMatchObject({
      error: 'login_required',
    });
    expect(sent).toHaveLength(0);
  });

  it('waits for the client to start before asking for the token', async () => {
    client = new FakeWardenClient();
    const pending = send(get('http://localhost:3001/api/dragons'));
    await Promise.resolve();
    expect(sent).toHaveLength(0);
    client.token = 'restored-token';
    client.finishStart({ outcome: 'restored' }, daenerys);
    await pending;
    expect(sent[0]?.headers.get('Authorization')).toBe('Bearer restored-token');
  });

  it('attaches nothing in cookie mode, and does not wait for the sign-in state', async () => {
    const page = 'http://localhost:4200/';
    const parent = createEnvironmentInjector(
      [{ provide: DOCUMENT, useValue: { baseURI: page, location: { href: page } } }],
      Injector.NULL as EnvironmentInjector,
    );
    // /bff/user never answers: a request that waited for the start would never be sent.
    const fetch = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch;
    const injector = createEnvironmentInjector(
      [provideWarden({ mode: 'cookie', fetch, window: fakeWindow(page) })],
      parent,
    );
    const next = (forwarded: HttpRequest<unknown>): Observable<HttpEvent<unknown>> => {
      sent.push(forwarded);
      return of(new HttpResponse({ status: 200 }));
    };
    for (const url of ['/api/dragons', `${page}api/orders`]) {
      await firstValueFrom(inContext(injector, () => authInterceptor(get(url), next)));
    }
    expect(sent.map((request) => request.url)).toEqual(['/api/dragons', `${page}api/orders`]);
    for (const request of sent) expect(request.headers.has('Authorization')).toBe(false);
  });
});
