/** The OAuth scopes that govern todos; role admin holds all three, role user only `create:todos`. */
export const TODO_SCOPES = ['create:todos', 'read:todos', 'delete:todos'] as const;

export type TodoScope = (typeof TODO_SCOPES)[number];

/** Who is acting: the token's subject, the todo scopes it was granted and, for the audit trail, its client. */
export interface Actor {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
  /** The OAuth client the token was issued to; empty or absent when the token names none. */
  readonly clientId?: string;
}

export function hasScope(actor: Actor, scope: TodoScope): boolean {
  return actor.scopes.has(scope);
}
