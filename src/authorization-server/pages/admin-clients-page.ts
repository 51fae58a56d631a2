import type { ClientSummary } from '../admin/admin-clients.js';
import { type ConsoleFrame, consolePage, originLabel, postForm, row, table } from './console-parts.js';
import { escapeHtml } from './layout.js';

function clientRow(client: ClientSummary, csrf: string): string {
  const id = { client: client.clientId };
  const canDelete = client.origin !== 'pre-registered';
  return row([
    `<strong>${escapeHtml(client.name)}</strong><small>${escapeHtml(client.clientId)}</small>`,
    escapeHtml(originLabel(client.origin)),
    `${client.grants} grant${client.grants === 1 ? '' : 's'}, ${client.accounts} account${client.accounts === 1 ? '' : 's'}`,
    postForm({
      action: '/admin/clients/revoke',
      csrf,
      hidden: id,
      button: 'Revoke all grants',
      label: `Revoke all grants of ${client.name}`,
      className: 'small secondary',
    }),
    canDelete
      ? postForm({
          action: '/admin/clients/delete',
          csrf,
          hidden: id,
          button: 'Delete',
          label: `Delete ${client.name}`,
          className: 'small danger',
        })
      : '<span class="muted">configured</span>',
  ]);
}

/** Registered clients and every client holding a grant. */
export function adminClientsPage(frame: ConsoleFrame, clients: readonly ClientSummary[]): string {
  const rows = clients.map((client) => clientRow(client, frame.csrf));
  return consolePage(
    frame,
    `<p>Deleting a client revokes its grants and its registration; a client known by a metadata document
can come back by signing in again.</p>
${table('Clients', ['Client', 'Registered by', 'Access', '', ''], rows, 'No client is registered or holds a grant.')}`,
  );
}
