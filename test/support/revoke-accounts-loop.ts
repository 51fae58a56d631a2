import { openStorage } from '../../src/storage/open-storage.js';

/**
 * Run as a process of its own by the concurrent-writers test: gives an account a grant and revokes
 * the account's grants, again and again, on the SQLite file named by the first argument, and
 * prints how many attempts failed and the first failure's message, as one JSON line.
 */
const [file = '', tag = '', rounds = '500'] = process.argv.slice(2);
const storage = await openStorage(file, { mustExist: true });
let failures = 0;
let first: string | undefined;
for (let i = 0; i < Number(rounds); i += 1) {
  try {
    await storage.auth.upsertModel('Grant', `g-${tag}-${i}`, { payload: { accountId: 'shared' } });
    await storage.auth.revokeAccount('shared', Math.floor(Date.now() / 1000) + 60);
  } catch (error) {
    failures += 1;
    first ??= String(error);
  }
}
await storage.close();
process.stdout.write(`${JSON.stringify({ failures, first })}\n`);
