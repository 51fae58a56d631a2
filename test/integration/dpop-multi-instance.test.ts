import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseChallenge } from '../support/auth-http.js';
import { type DpopKey, dpopKey, makeProof, postWithProof } from '../support/dpop.js';
import { freshSchema, type TestDatabase } from '../support/postgres.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

/**
 * Two instances of the server, each its own process, behind one public URL and on one PostgreSQL
 * schema, as a deployment runs them: a DPoP proof that one accepted must be refused by the other.
 */
let database: TestDatabase;
let issuer: TestIssuer;
let a: ServerProcess;
let b: ServerProcess;
let key: DpopKey;
/** The resource both instances serve, which every proof names (`htu`). */
const PUBLIC_URL = 'http://localhost:9';
const resource = `${PUBLIC_URL}/mcp`;

before(async () => {
  [database, issuer, key] = await Promise.all([freshSchema(), startTestIssuer(), dpopKey('ES256')]);
  issuer.audience = resource;
  const shared = { PUBLIC_URL, DATABASE_URL: database.url, PORT: '0', AUTH_ISSUER: issuer.issuer };
  [a, b] = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
});
after(async () => {
  await a?.stop('SIGKILL');
  await b?.stop('SIGKILL');
  await issuer?.close();
  await database?.dispose();
});

const at = (instance: ServerProcess) => `http://127.0.0.1:${instance.port}/mcp`;

test('rfc9449:cross-instance-replay a proof accepted by one instance is refused by the other (RFC 9449 §11.1)', async () => {
  const token = await issuer.sign({ claims: { cnf: { jkt: key.thumbprint } } });
  const proof = await makeProof({ key, htu: resource, accessToken: token });
  const first = await postWithProof(at(a), token, proof);
  assert.equal(first.status, 200, first.text);
  const again = await postWithProof(at(b), token, proof);
  assert.equal(again.status, 401);
  const { scheme, params } = parseChallenge(String(again.headers['www-authenticate']));
  assert.equal(scheme, 'DPoP');
  assert.equal(params.error, 'invalid_dpop_proof');
  assert.equal(params.error_description, 'the DPoP proof was used before');
  // A fresh proof still works on the second instance: it refused the replay, not the client.
  const fresh = await postWithProof(
    at(b),
    token,
    await makeProof({ key, htu: resource, accessToken: token }),
  );
  assert.equal(fresh.status, 200);
});

test('rfc9449:cross-instance-replay a proof sent to both instances at once is accepted exactly once, every time (RFC 9449 §11.1)', async () => {
  const token = await issuer.sign({ claims: { cnf: { jkt: key.thumbprint } } });
  for (let round = 0; round < 20; round += 1) {
    const proof = await makeProof({ key, htu: resource, accessToken: token });
    const answers = await Promise.all(
      [a, b, a, b].map((instance) => postWithProof(at(instance), token, proof)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [200, 401, 401, 401], `round ${round}`);
  }
});
