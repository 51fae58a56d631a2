import type { Role } from '../storage/auth-store.js';
import { TODO_SCOPES } from '../todos/scopes.js';

export const ROLES: readonly Role[] = ['user', 'admin'];

/** The contract's roles table: admin holds every todo scope, user only `create:todos`. */
const ROLE_SCOPES: Readonly<Record<Role, readonly string[]>> = {
  admin: TODO_SCOPES,
  user: ['create:todos'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Granted scopes = requested ∩ role. */
export function grantableScopes(role: Role, requested: Iterable<string>): string[] {
  const allowed = new Set(ROLE_SCOPES[role]);
  return [...new Set(requested)].filter((scope) => allowed.has(scope));
}

/** Every scope a role can be granted. */
export function roleScopes(role: Role): readonly string[] {
  return ROLE_SCOPES[role];
}
