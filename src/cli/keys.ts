import { listSigningKeyIds, rotateSigningKey } from '../authorization-server/signing-keys.js';
import { AppError } from '../errors.js';
import { parseActionArgs } from './args.js';
import type { CliIo } from './io.js';
import { printUsage } from './usage.js';
import { withStorage } from './with-storage.js';

export const KEYS_USAGE = `Usage:
  todo-manager keys list [--database-url <url>]
  todo-manager keys rotate [--database-url <url>]

The embedded authorization server signs tokens with the newest key. After "keys rotate", restart
the server(s): new tokens use the new key while the old key stays published for 24 hours, so
tokens it signed stay valid until they expire.`;

/** `keys list|rotate`: the embedded authorization server's token signing keys. */
export async function runKeys(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseActionArgs(args, { 'database-url': { type: 'string' } });
  const [action] = positionals;
  if (values.help || action === undefined) return printUsage(io, KEYS_USAGE, values.help === true);
  if (action !== 'list' && action !== 'rotate') {
    throw new AppError('invalid_params', `unknown keys command "${action}"`);
  }
  await withStorage(io, values['database-url'], async (storage) => {
    if (action === 'list') {
      for (const key of await listSigningKeyIds(storage.auth)) io.stdout.write(`${key}\n`);
      return;
    }
    const key = await rotateSigningKey(storage.auth);
    io.stdout.write(`New signing key ${key.kid}. Restart the server(s) to start using it.\n`);
  });
  return 0;
}
