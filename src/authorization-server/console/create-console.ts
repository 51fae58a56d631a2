import type Provider from 'oidc-provider';
import type { Logger } from '../../log.js';
import type { AuthStore } from '../../storage/auth-store.js';
import type { AuditLog } from '../../todos/audit-log.js';
import { createAccountService } from '../account/account-service.js';
import type { AccountAdmin } from '../account-admin.js';
import { createAdminAccounts } from '../admin/admin-accounts.js';
import { createAdminClients } from '../admin/admin-clients.js';
import { createConsoleAudit } from '../console-audit.js';
import type { Csrf } from '../csrf.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { UserDirectory } from '../users.js';
import { type ConsoleHandler, createConsoleHandler } from './handle-console.js';

export interface ConsoleOptions {
  readonly provider: Provider;
  readonly store: AuthStore;
  readonly users: UserDirectory;
  /** The account changes and grant listings the CLI uses too: the console adds audit and pages. */
  readonly admin: AccountAdmin;
  readonly auditLog: AuditLog;
  readonly csrf: Csrf;
  readonly throttle: LoginThrottle;
  readonly issuer: string;
  readonly log: Logger;
}

/** The account page and admin console over their services. */
export function createConsole(options: ConsoleOptions): ConsoleHandler {
  const { provider, store, users, admin } = options;
  const audit = createConsoleAudit(options.auditLog);
  const staticName = async (clientId: string) => (await provider.Client.find(clientId))?.clientName;
  return createConsoleHandler({
    provider,
    users,
    account: createAccountService({ store, admin, audit }),
    adminAccounts: createAdminAccounts({ users, admin, audit }),
    adminClients: createAdminClients({ store, admin, staticName, audit }),
    auditLog: options.auditLog,
    store,
    csrf: options.csrf,
    throttle: options.throttle,
    issuer: options.issuer,
    log: options.log,
    behindProxy: provider.proxy,
  });
}
