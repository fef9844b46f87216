/**
 * Signs access tokens for the API benchmarks into a file, one per line:
 * `node --import tsx sign-access-tokens.ts '<SignTokensJob JSON>'` (started by `signTokenFiles`).
 * Uses protocol's `generateSigningKey` output and `@warden/protocol/node`'s `createNodeSigner`,
 * header `typ: at+jwt`.
 */
import { writeFileSync } from 'node:fs';
import { importKey } from '@warden/protocol';
import { createNodeSigner } from '@warden/protocol/node';
import { accessTokenClaims, type SignTokensJob } from './access-tokens.js';

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as SignTokensJob;
  const sign = createNodeSigner(await importKey(job.privateJwk));
  const lines: string[] = [];
  for (let index = job.from; index < job.from + job.count; index += 1) {
    const claims = accessTokenClaims({ issuer: job.issuer, audience: job.audience, index, iat: job.iat });
    lines.push(sign(claims, { typ: 'at+jwt' }));
  }
  writeFileSync(job.file, `${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
