/** Machine callers: service clients (client_credentials) and enterprise-managed authorization (ID-JAG). */
export const MACHINE_REQUIREMENTS: Readonly<Record<string, string>> = {
  'machine:client-credentials':
    "SEP-1046: the SDK's ClientCredentialsProvider gets an at+jwt for the MCP resource whose subject is the service, and the service owns its own todos",
  'machine:service-role':
    "A service's scopes are requested ∩ its role: a user service gets create:todos only; an admin service sees everyone's todos",
  'machine:private-key-jwt':
    'A service client created with a JWKS file authenticates with private_key_jwt (RFC 7523 §2.2), never a secret',
  'machine:clients-cli':
    'clients add/list/remove/rotate-secret manage service and enterprise clients; a removed client or an old secret gets no token',
  'machine:grant-isolation':
    'Only admin-created clients use machine grants: registration cannot ask for them, a service cannot use the authorization code grant, a public client cannot use client_credentials',
  'machine:extensions':
    'The AS metadata lists the client_credentials and jwt-bearer grants; the MCP server declares the extensions in capabilities.extensions',
  'eam:id-jag-flow':
    "SEP-990: the SDK's CrossAppAccessProvider exchanges a test enterprise IdP's ID-JAG for a token and calls tools as the linked person",
  'eam:id-jag-refusals':
    'An ID-JAG that is untrusted, badly signed, of the wrong typ, for another audience, client or resource, expired or replayed gets the RFC 6749 error and no token',
};
