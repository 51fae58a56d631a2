import type Provider from 'oidc-provider';
import type { Logger } from '../../log.js';
import type { OidcModelStore } from '../../storage/auth-store.js';
import type { AuditLog } from '../../todos/audit-log.js';
import type { AccountService } from '../account/account-service.js';
import type { AdminAccounts } from '../admin/admin-accounts.js';
import type { AdminClients } from '../admin/admin-clients.js';
import type { Csrf } from '../csrf.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { UserDirectory } from '../users.js';

/** What the account page and the admin console work with; the domain lives in the services. */
export interface ConsoleDeps {
  readonly provider: Provider;
  readonly users: UserDirectory;
  readonly account: AccountService;
  readonly adminAccounts: AdminAccounts;
  readonly adminClients: AdminClients;
  /** The audit trail, read by the admin console. */
  readonly auditLog: Pick<AuditLog, 'list'>;
  /** Where one-time notices wait between a form's post and the page after it. */
  readonly store: Pick<OidcModelStore, 'upsertModel' | 'findModel' | 'destroyModel'>;
  readonly csrf: Csrf;
  readonly throttle: LoginThrottle;
  readonly issuer: string;
  readonly log: Logger;
  readonly behindProxy: boolean;
}
