import { readFile } from 'node:fs/promises';
import {
  type ClientDirectory,
  createClientDirectory,
} from '../authorization-server/clients/client-directory.js';
import { isRole } from '../authorization-server/roles.js';
import { AppError } from '../errors.js';
import type { ManagedClientRecord } from '../storage/auth-store.js';
import { parseActionArgs } from './args.js';
import type { CliIo } from './io.js';
import { printTable } from './table.js';
import { printUsage } from './usage.js';
import { withStorage } from './with-storage.js';

export const CLIENTS_USAGE = `Usage:
  todo-manager clients add <name> --service --role <user|admin> [--jwks-file <path>] [--database-url <url>]
  todo-manager clients add <name> --enterprise [--jwks-file <path>] [--database-url <url>]
  todo-manager clients list [--database-url <url>]
  todo-manager clients remove <client_id> [--database-url <url>]
  todo-manager clients rotate-secret <client_id> [--database-url <url>]

Manages the clients only an admin creates (embedded authorization server). A service client
(--service) gets tokens for itself with the client_credentials grant: their subject is its
client id, so it owns its own todos, and they carry the scopes it asks for that its role allows.
An enterprise client (--enterprise) exchanges an ID-JAG from an identity provider named in
ENTERPRISE_IDPS for a person's token (JWT bearer grant). Both authenticate with
client_secret_basic and a secret printed once, or with --jwks-file: private_key_jwt with the
public keys in that JWKS file (keys are never fetched from a URL). Removing a client stops new
tokens at once, and a service's tokens already issued stop working at /mcp within 5 seconds.
rotate-secret prints a new secret once; the old one stops working at once (tokens already
issued stay valid until they expire).`;

interface ClientsRequest {
  readonly action: string;
  readonly target: string | undefined;
  readonly kind: 'service' | 'enterprise' | undefined;
  readonly role: string | undefined;
  readonly jwksFile: string | undefined;
}

/** `clients add|list|remove|rotate-secret`: service and enterprise clients. */
export async function runClients(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseActionArgs(args, {
    service: { type: 'boolean' },
    enterprise: { type: 'boolean' },
    role: { type: 'string' },
    'jwks-file': { type: 'string' },
    'database-url': { type: 'string' },
  });
  const [action, target] = positionals;
  if (values.help || action === undefined) return printUsage(io, CLIENTS_USAGE, values.help === true);
  if (values.service && values.enterprise) {
    throw new AppError('invalid_params', 'a client is either --service or --enterprise');
  }
  const kind = values.service ? 'service' : values.enterprise ? 'enterprise' : undefined;
  const request: ClientsRequest = { action, target, kind, role: values.role, jwksFile: values['jwks-file'] };
  checkRequest(request);
  const jwks = request.jwksFile === undefined ? undefined : await readFile(request.jwksFile, 'utf8');
  await withStorage(io, values['database-url'], (storage) =>
    runAction(createClientDirectory(storage.auth, storage.revocations), request, jwks, io),
  );
  return 0;
}

const ACTIONS = ['add', 'list', 'remove', 'rotate-secret'];

function checkRequest({ action, target, kind, role }: ClientsRequest): void {
  if (!ACTIONS.includes(action)) throw new AppError('invalid_params', `unknown clients command "${action}"`);
  if (action !== 'list' && target === undefined) {
    throw new AppError(
      'invalid_params',
      `clients ${action} needs ${action === 'add' ? 'a name' : 'a client id'}`,
    );
  }
  if (action !== 'add') return;
  if (kind === undefined) throw new AppError('invalid_params', 'clients add needs --service or --enterprise');
  if (kind === 'service' && (role === undefined || !isRole(role))) {
    throw new AppError('invalid_params', '--role is required for a service: user or admin');
  }
  if (kind === 'enterprise' && role !== undefined) {
    throw new AppError(
      'invalid_params',
      "an enterprise client acts for people: their account's role applies",
    );
  }
}

async function runAction(
  clients: ClientDirectory,
  request: ClientsRequest,
  jwks: string | undefined,
  io: CliIo,
): Promise<void> {
  const target = request.target ?? '';
  switch (request.action) {
    case 'add': {
      const role = request.role !== undefined && isRole(request.role) ? request.role : 'user';
      const kind = request.kind ?? 'service';
      const added = await clients.add({ name: target, kind, role, ...(jwks !== undefined && { jwks }) });
      const { client } = added;
      io.stdout.write(`Added ${kind} client ${client.name} (${client.authMethod}).\n`);
      io.stdout.write(`Client ID: ${client.clientId}\n`);
      if (added.secret !== undefined) io.stdout.write(`Client secret (shown once): ${added.secret}\n`);
      return;
    }
    case 'list':
      io.stdout.write(clientTable(await clients.list()));
      return;
    case 'remove': {
      const client = await clients.remove(target);
      io.stdout.write(`Removed ${client.name} (${client.clientId}); it gets no new tokens.\n`);
      return;
    }
    default: {
      const secret = await clients.rotateSecret(target);
      io.stdout.write(`New secret for ${target}; the old one no longer works.\n`);
      io.stdout.write(`Client secret (shown once): ${secret}\n`);
    }
  }
}

function clientTable(clients: readonly ManagedClientRecord[]): string {
  const rows = clients.map((c) => [
    c.clientId,
    c.name,
    c.kind,
    c.kind === 'service' ? c.role : '-',
    c.authMethod,
    c.createdAt,
  ]);
  return printTable([['CLIENT_ID', 'NAME', 'KIND', 'ROLE', 'AUTH', 'CREATED'], ...rows]);
}
