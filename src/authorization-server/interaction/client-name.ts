import type Provider from 'oidc-provider';

/** The name the pages show for the application asking: its registered name, else its client id. */
export async function clientName(provider: Provider, clientId: unknown): Promise<string> {
  const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
  return client?.clientName ?? (typeof clientId === 'string' ? clientId : 'an application');
}
