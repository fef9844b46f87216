import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { createJwtCheck } from '../src/adapters/express.js';
import { wardenPlugin } from '../src/adapters/fastify.js';
import { type WardenEnv, wardenAuth } from '../src/adapters/hono.js';
import { protect } from '../src/adapters/web.js';
import { toParameterRecord } from '../src/authenticate.js';
import type { Verifier } from '../src/create-verifier.js';
import type { Principal } from '../src/principal.js';
import type { CaseRequest } from './cases.js';
import { ROUTES } from './cases.js';

export interface TestResponse {
  status: number;
  header(name: string): string | null;
  body: string;
}

export interface TestApp {
  send(request: CaseRequest): Promise<TestResponse>;
  close(): Promise<void>;
}

/** One framework, mounted the way its users would mount Warden, serving `ROUTES`. */
export interface Adapter {
  name: string;
  build(verifier: Verifier, onHandled: (principal: Principal) => void): Promise<TestApp>;
}

const summary = (auth: Principal) => ({
  sub: auth.sub,
  clientId: auth.clientId,
  scopes: auth.scopes,
  roles: auth.roles,
  via: auth.via,
});

const expressAdapter: Adapter = {
  name: 'express',
  async build(verifier, onHandled) {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    const jwtCheck = createJwtCheck(verifier);
    for (const route of ROUTES) {
      const method = route.method === 'GET' ? 'get' : 'post';
      app[method](route.path, jwtCheck.with(...route.policies), (req, res) => {
        onHandled(req.auth!);
        res.json(summary(req.auth!));
      });
    }
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const { port } = server.address() as AddressInfo;
    return {
      send: (request) => sendOverHttp(port, request),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
};

/** Sends with node:http so a header given as an array really goes out as several lines. */
function sendOverHttp(port: number, request: CaseRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const headers = incoming.headers;
          resolve({
            status: incoming.statusCode!,
            header: (name) => {
              const value = headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            },
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

const fastifyAdapter: Adapter = {
  name: 'fastify',
  async build(verifier, onHandled) {
    const app = Fastify();
    // Repeated fields stay lists, as @fastify/formbody (fast-querystring) leaves them.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, toParameterRecord(new URLSearchParams(body as string))),
    );
    await app.register(wardenPlugin, { verifier });
    for (const route of ROUTES) {
      app.route({
        method: route.method,
        url: route.path,
        preHandler: app.authenticate(...route.policies),
        handler: async (request) => {
          onHandled(request.auth!);
          return summary(request.auth!);
        },
      });
    }
    await app.ready();
    return {
      async send(request) {
        const response = await app.inject({
          method: request.method,
          url: request.path,
          headers: request.headers,
          ...(request.body !== undefined && { payload: request.body }),
        });
        return {
          status: response.statusCode,
          header: (name) => {
            const value = response.headers[name.toLowerCase()];
            return value === undefined ? null : String(value);
          },
          body: response.body,
        };
      },
      close: () => app.close(),
    };
  },
};

function toHeaders(headers: CaseRequest['headers']): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) out.append(name, item);
  }
  return out;
}

async function fromResponse(response: Response): Promise<TestResponse> {
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    body: await response.text(),
  };
}

const honoAdapter: Adapter = {
  name: 'hono',
  async build(verifier, onHandled) {
    const app = new Hono<WardenEnv>();
    for (const route of ROUTES) {
      const method = route.method === 'GET' ? 'get' : 'post';
      app[method](route.path, wardenAuth(verifier, ...route.policies), (c) => {
        onHandled(c.get('auth'));
        return c.json(summary(c.get('auth')));
      });
    }
    return {
      send: async (request) =>
        fromResponse(
          await app.request(request.path, {
            method: request.method,
            headers: toHeaders(request.headers),
            ...(request.body !== undefined && { body: request.body }),
          }),
        ),
      close: async () => {},
    };
  },
};

const webAdapter: Adapter = {
  name: 'web',
  async build(verifier, onHandled) {
    const handlers = new Map<string, (request: Request) => Promise<Response>>();
    for (const route of ROUTES) {
      handlers.set(
        `${route.method} ${route.path}`,
        protect(
          verifier,
          (_request, auth) => {
            onHandled(auth);
            return Response.json(summary(auth));
          },
          ...route.policies,
        ),
      );
    }
    const fetchHandler = (request: Request) => {
      const handler = handlers.get(`${request.method} ${new URL(request.url).pathname}`);
      return handler ? handler(request) : Promise.resolve(new Response('not found', { status: 404 }));
    };
    return {
      send: async (request) =>
        fromResponse(
          await fetchHandler(
            new Request(`http://localhost:3001${request.path}`, {
              method: request.method,
              headers: toHeaders(request.headers),
              ...(request.body !== undefined && { body: request.body }),
            }),
          ),
        ),
      close: async () => {},
    };
  },
};

export const ADAPTERS: readonly Adapter[] = [expressAdapter, fastifyAdapter, honoAdapter, webAdapter];
