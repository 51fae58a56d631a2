import * as z from 'zod';
import { parseArgs } from '../schemas.js';
import type { ToolDefinition } from '../tool-definition.js';

const input = z.object({});

export const whoami: ToolDefinition = {
  name: 'whoami',
  title: 'Who am I',
  description:
    'Show who the access token speaks for: subject, client, granted scopes and expiry. Needs no scope.',
  input,
  output: z.object({
    subject: z.string().describe("The token's sub: the ownerId of the caller's todos"),
    clientId: z
      .string()
      .describe('The OAuth client the token was issued to (empty when the token names none)'),
    scopes: z.array(z.string()).describe('The scopes the token grants'),
    issuer: z.string(),
    expiresAt: z.iso.datetime().describe('When the access token expires'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ principal, args }) {
    parseArgs(input, args);
    return {
      subject: principal.subject,
      clientId: principal.clientId,
      scopes: [...principal.scopes],
      issuer: principal.issuer,
      expiresAt: new Date(principal.expiresAt * 1000).toISOString(),
    };
  },
};
