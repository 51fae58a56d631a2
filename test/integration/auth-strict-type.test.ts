import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postMcp } from '../support/auth-http.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer({ AUTH_STRICT_TOKEN_TYPE: 'true' });

for (const [typ, status] of [
  ['at+jwt', 200],
  ['application/at+jwt', 200],
  ['JWT', 401],
  [undefined, 401],
] as const) {
  test(`rfc9068:strict-typ with AUTH_STRICT_TOKEN_TYPE=true, typ ${typ ?? '(none)'} gets ${status}`, async () => {
    const token = await ctx.issuer.sign({ header: { typ } });
    assert.equal((await postMcp(ctx.server.mcpUrl, { token })).status, status);
  });
}
