/** The OAuth scopes that govern todos; role admin holds all three, role user only `create:todos`. */
export const TODO_SCOPES = ['create:todos', 'read:todos', 'delete:todos'] as const;

export type TodoScope = (typeof TODO_SCOPES)[number];

/** Who is acting: the token's subject and the todo scopes it was granted. */
export interface Actor {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
}

export function hasScope(actor: Actor, scope: TodoScope): boolean {
  return actor.scopes.has(scope);
}
