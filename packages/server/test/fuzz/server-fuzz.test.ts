import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import type { Browser } from '../harness.js';
import { useTestServer } from '../harness.js';
import { expectSoundAnswer } from './check-answer.js';
import { flowArbitrary, runFlow } from './flows.js';
import { checkProperty } from './fuzz-settings.js';
import { buildRawRequest, rawRequestArbitrary } from './raw-requests.js';
import { runTokenUse, tokenUseArbitrary } from './signed-tokens.js';
import {
  createErrorLog,
  createFuzzWorld,
  type FuzzWorld,
  fuzzServerOverrides,
  signedInBrowser,
} from './world.js';

/**
 * Generated garbage at every endpoint of the authorization server, on SQLite and on PostgreSQL:
 * whatever arrives, the answer is sound (`expectSoundAnswer`: never a 5xx, errors in the form
 * the endpoint promises, no input echoed unescaped, well-formed challenges, no open redirect).
 * A failure prints the seed and path that replay it: see docs/testing.md (Fuzzing).
 */

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL fuzz suite.');

const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

/** Shrinking a failure replays requests; a property gets this long in all. */
const timeout = 180_000;

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`fuzz: every endpoint (${storage})`, () => {
    const log = createErrorLog();
    const t = useTestServer({
      scope: 'all',
      overrides: { ...fuzzServerOverrides, logger: log.logger },
      ...(url ? { databaseUrl: url } : {}),
    });
    let world: FuzzWorld;
    let browser: Browser;

    beforeAll(async () => {
      world = await createFuzzWorld(t(), log);
      browser = await signedInBrowser(t());
    });

    it(
      'answers garbage requests soundly',
      async () => {
        const clientIds = [t().spa, t().web.client_id, t().m2m.client_id, t().thirdParty];
        await checkProperty(
          fc.asyncProperty(rawRequestArbitrary(clientIds), async (recipe) => {
            const { request, kind } = buildRawRequest(recipe);
            world.clearLog();
            const response = await t().server.app.request(request);
            await expectSoundAnswer(response, world.context(kind, recipe.method));
          }),
          600,
        );
      },
      timeout,
    );

    it(
      'answers tokens signed with its own key but holding junk soundly',
      async () => {
        await checkProperty(
          fc.asyncProperty(tokenUseArbitrary, (use) => runTokenUse(world, use)),
          300,
        );
      },
      timeout,
    );

    it(
      'answers plausible but wrong flows soundly',
      async () => {
        await checkProperty(
          fc.asyncProperty(flowArbitrary, (flow) => runFlow(world, flow, { browser })),
          200,
        );
      },
      timeout,
    );
  });
}
