import type Provider from 'oidc-provider';
import type { Logger } from '../../log.js';
import type { Csrf } from '../csrf.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { UserDirectory } from '../users.js';

/** What the sign-in and consent pages work with; each step takes only the part it needs. */
export interface InteractionDeps {
  readonly provider: Provider;
  readonly users: UserDirectory;
  readonly throttle: LoginThrottle;
  readonly csrf: Csrf;
  readonly issuer: string;
  readonly log: Logger;
  /** Whether a TLS-terminating proxy forwards requests (the public URL is https). */
  readonly behindProxy: boolean;
}
