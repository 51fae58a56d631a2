import type Provider from 'oidc-provider';
import type { Adapter } from 'oidc-provider';
import type { Logger } from '../../log.js';
import type { AuthStore } from '../../storage/auth-store.js';
import type { AuditLog } from '../../todos/audit-log.js';
import { createAccountService } from '../account/account-service.js';
import type { LastUseReader } from '../account/last-use.js';
import { createAdminAccounts } from '../admin/admin-accounts.js';
import { createAdminClients } from '../admin/admin-clients.js';
import { createConsoleAudit } from '../console-audit.js';
import type { Csrf } from '../csrf.js';
import { createGrantRevoker } from '../grant-revoker.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { UserDirectory } from '../users.js';
import { type ConsoleHandler, createConsoleHandler } from './handle-console.js';

export interface ConsoleOptions {
  readonly provider: Provider;
  readonly store: AuthStore;
  readonly users: UserDirectory;
  /** oidc-provider's storage adapter: grants are revoked through it, as its own revocation does. */
  readonly adapter: new (
    model: string,
  ) => Adapter;
  readonly auditLog: AuditLog;
  readonly csrf: Csrf;
  readonly throttle: LoginThrottle;
  readonly issuer: string;
  readonly log: Logger;
  /** When a grant was last used, once something records it (see `LastUseReader`). */
  readonly lastUse?: LastUseReader;
}

/** The account page and admin console over their services. */
export function createConsole(options: ConsoleOptions): ConsoleHandler {
  const { provider, store, users } = options;
  const grants = createGrantRevoker(store, options.adapter);
  const audit = createConsoleAudit(options.auditLog);
  const staticName = async (clientId: string) => (await provider.Client.find(clientId))?.clientName;
  const apps = { store, staticName, ...(options.lastUse && { lastUse: options.lastUse }) };
  return createConsoleHandler({
    provider,
    users,
    account: createAccountService({ ...apps, users, grants, audit }),
    adminAccounts: createAdminAccounts({ ...apps, users, grants, audit }),
    adminClients: createAdminClients({ store, staticName, grants, audit }),
    auditLog: options.auditLog,
    store,
    csrf: options.csrf,
    throttle: options.throttle,
    issuer: options.issuer,
    log: options.log,
    behindProxy: provider.proxy,
  });
}
