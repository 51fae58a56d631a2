import type { OidcModelStore } from '../storage/auth-store.js';
import { isFetchableClientId } from './client-id-documents.js';

/** Where a client came from: dynamic registration (RFC 7591), a metadata document, or this server's configuration. */
export type ClientOrigin = 'dynamic registration' | 'metadata document' | 'pre-registered';

export interface ClientDescription {
  readonly clientId: string;
  readonly name: string;
  readonly origin: ClientOrigin;
}

/** The configured clients' names (the console, the resource server, service clients), by id. */
export type StaticClientName = (clientId: string) => Promise<string | undefined>;

/**
 * A client as the pages show it, from what the database holds: never by fetching a metadata
 * document, so that listing clients cannot reach out of the server.
 */
export async function describeClient(
  store: Pick<OidcModelStore, 'findModel'>,
  staticName: StaticClientName,
  clientId: string,
): Promise<ClientDescription> {
  const registered = await store.findModel('Client', clientId);
  if (registered !== undefined) {
    const name = typeof registered.client_name === 'string' ? registered.client_name : clientId;
    return { clientId, name, origin: 'dynamic registration' };
  }
  if (isFetchableClientId(clientId)) {
    return { clientId, name: new URL(clientId).host, origin: 'metadata document' };
  }
  return { clientId, name: (await staticName(clientId)) ?? clientId, origin: 'pre-registered' };
}
