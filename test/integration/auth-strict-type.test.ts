import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { postMcp } from '../support/auth-http.js';
import { type RunningServer, startServer } from '../support/start-server.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

let issuer: TestIssuer;
let server: RunningServer;

before(async () => {
  issuer = await startTestIssuer();
  server = await startServer(issuer.issuer, { AUTH_STRICT_TOKEN_TYPE: 'true' });
  issuer.audience = server.mcpUrl;
});
after(async () => {
  await server.close();
  await issuer.close();
});

for (const [typ, status] of [
  ['at+jwt', 200],
  ['application/at+jwt', 200],
  ['JWT', 401],
  [undefined, 401],
] as const) {
  test(`rfc9068:strict-typ with AUTH_STRICT_TOKEN_TYPE=true, typ ${typ ?? '(none)'} gets ${status}`, async () => {
    const token = await issuer.sign({ header: { typ } });
    assert.equal((await postMcp(server.mcpUrl, { token })).status, status);
  });
}
