import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nowSeconds, parseChallenge, postMcp } from '../support/auth-http.js';
import { useServerWithIssuer } from '../support/use-server.js';

/**
 * AUTH_MAX_TOKEN_AGE with an external issuer in JWT mode: a token older than the setting (by its
 * `iat`) is refused although its `exp` is still ahead, so a grant revoked at the issuer stops
 * working that soon at the latest.
 */
const ctx = useServerWithIssuer({ AUTH_MAX_TOKEN_AGE: '120' });

const refusal = async (token: string) => {
  const answer = await postMcp(ctx.server.mcpUrl, { token });
  assert.equal(answer.status, 401);
  return parseChallenge(answer.headers.get('www-authenticate')).params.error;
};

test('auth:max-token-age a JWT issued longer ago than AUTH_MAX_TOKEN_AGE is refused, whatever its exp', async () => {
  const now = nowSeconds();
  const young = await ctx.issuer.sign({ claims: { iat: now - 60, exp: now + 3600 } });
  assert.equal((await postMcp(ctx.server.mcpUrl, { token: young })).status, 200);
  const old = await ctx.issuer.sign({ claims: { iat: now - 600, exp: now + 3600 } });
  assert.equal(await refusal(old), 'invalid_token');
});

test('auth:max-token-age a JWT without iat cannot show its age and is refused', async () => {
  const token = await ctx.issuer.sign({ claims: { iat: undefined } });
  assert.equal(await refusal(token), 'invalid_token');
});

test('auth:max-token-age a token accepted (and cached) while young is refused once it grows too old', async () => {
  // Issued 145 s ago with a 30 s clock tolerance: acceptable for about 5 s more, not longer.
  const now = nowSeconds();
  const token = await ctx.issuer.sign({ claims: { iat: now - 145, exp: now + 3600 } });
  assert.equal((await postMcp(ctx.server.mcpUrl, { token })).status, 200);
  const started = Date.now();
  let status = 200;
  while (status === 200 && Date.now() - started < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = (await postMcp(ctx.server.mcpUrl, { token })).status;
  }
  assert.equal(status, 401, 'the cached verification does not outlive the maximum age');
});
