import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDpopProofVerifier, type ProofReplayStore } from '../../../src/auth/dpop-proof.js';
import { AppError } from '../../../src/errors.js';
import { dpopKey, makeProof } from '../../support/dpop.js';

const HTU = 'https://todos.example/mcp';
const TOKEN = 'header.payload.signature';

/** A replay store in a Map, as small as the port it stands in for. */
function memoryReplay(): ProofReplayStore & { keys: Map<string, number> } {
  const keys = new Map<string, number>();
  return {
    keys,
    async claim(key, expiresAt) {
      if (keys.has(key)) return false;
      keys.set(key, expiresAt);
      return true;
    },
  };
}

const codeOf = (error: unknown) =>
  error instanceof AppError ? `${error.code}:${error.reason}` : String(error);

describe('the DPoP proof verifier with an injected clock and replay store', () => {
  test('rfc9449:iat-window the window is measured by the injected clock, both ways (RFC 9449 §4.3 item 11)', async () => {
    const key = await dpopKey();
    const iat = 1_900_000_000;
    const proof = () => makeProof({ key, htu: HTU, accessToken: TOKEN, claims: { iat } });
    for (const [offset, isAccepted] of [
      [-60, true],
      [60, true],
      [-61, false],
      [61, false],
    ] as const) {
      const verifier = createDpopProofVerifier({
        replay: memoryReplay(),
        htu: HTU,
        now: () => (iat + offset) * 1000,
      });
      const presented = {
        proof: await proof(),
        method: 'POST',
        accessToken: TOKEN,
        keyThumbprint: key.thumbprint,
      };
      const outcome = await verifier.verify(presented).then(
        () => 'ok',
        (error: unknown) => codeOf(error),
      );
      assert.equal(outcome, isAccepted ? 'ok' : 'invalid_dpop_proof:dpop_iat', `now = iat ${offset}`);
    }
  });

  test('rfc9449:proof-replay a proof is remembered until its iat plus the window, keyed by key and jti (RFC 9449 §11.1)', async () => {
    const key = await dpopKey();
    const replay = memoryReplay();
    const iat = 1_900_000_000;
    const verifier = createDpopProofVerifier({ replay, htu: HTU, now: () => iat * 1000 });
    const proof = await makeProof({ key, htu: HTU, accessToken: TOKEN, claims: { iat } });
    const presented = { proof, method: 'POST', accessToken: TOKEN, keyThumbprint: key.thumbprint };
    await verifier.verify(presented);
    assert.deepEqual([...replay.keys.values()], [iat + 60]);
    await assert.rejects(
      verifier.verify(presented),
      (e: unknown) => codeOf(e) === 'invalid_dpop_proof:dpop_replay',
    );
  });

  test('rfc9449:jti-replay-store a failed proof does not use up its jti; a store that cannot answer fails closed (503)', async () => {
    const key = await dpopKey();
    const replay = memoryReplay();
    const verifier = createDpopProofVerifier({ replay, htu: HTU });
    const proof = await makeProof({ key, htu: HTU, accessToken: TOKEN });
    const wrongMethod = { proof, method: 'GET', accessToken: TOKEN, keyThumbprint: key.thumbprint };
    await assert.rejects(verifier.verify(wrongMethod));
    assert.equal(replay.keys.size, 0);

    const broken = createDpopProofVerifier({
      replay: { claim: () => Promise.reject(new Error('connection reset')) },
      htu: HTU,
    });
    await assert.rejects(
      broken.verify({ proof, method: 'POST', accessToken: TOKEN, keyThumbprint: key.thumbprint }),
      (e: unknown) => e instanceof AppError && e.code === 'temporarily_unavailable' && e.status === 503,
    );
  });

  test('rfc9449:public-jwk a header jwk with odd key_ops or use does not change the key later proofs are checked with', async () => {
    const key = await dpopKey();
    const verifier = createDpopProofVerifier({ replay: memoryReplay(), htu: HTU });
    const presented = async (header: Record<string, unknown>) => ({
      proof: await makeProof({ key, htu: HTU, accessToken: TOKEN, header }),
      method: 'POST',
      accessToken: TOKEN,
      keyThumbprint: key.thumbprint,
    });
    // Whatever the first proof's jwk says beside the key itself, the key is imported the same.
    await verifier.verify(await presented({ jwk: { ...key.publicJwk, key_ops: ['encrypt'], use: 'enc' } }));
    await verifier.verify(await presented({}));
  });

  test('a resource URL that is not http(s) is a startup error, not a request-time one', () => {
    assert.throws(() => createDpopProofVerifier({ replay: memoryReplay(), htu: 'mcp' }));
  });
});
