import { AUDIT_REQUIREMENTS } from './audit.js';
import { AUTH_REQUIREMENTS } from './auth.js';
import { AUTHORIZATION_SERVER_REQUIREMENTS } from './authorization-server.js';
import { DPOP_REQUIREMENTS } from './dpop.js';
import { MACHINE_REQUIREMENTS } from './machines.js';
import { MCP_REQUIREMENTS } from './mcp.js';
import { RBAC_REQUIREMENTS } from './rbac.js';

/**
 * Every auth and RBAC rule the server promises, by id. Each id must appear in the name of at
 * least one test (checked by test/unit/requirements.test.ts), so a rule cannot lose its test.
 */
export const REQUIREMENTS: Readonly<Record<string, string>> = {
  ...AUTH_REQUIREMENTS,
  ...RBAC_REQUIREMENTS,
  ...AUTHORIZATION_SERVER_REQUIREMENTS,
  ...DPOP_REQUIREMENTS,
  ...AUDIT_REQUIREMENTS,
  ...MCP_REQUIREMENTS,
  ...MACHINE_REQUIREMENTS,
};
