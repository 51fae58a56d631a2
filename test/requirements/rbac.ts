/** Access-policy rules: id → the rule, from the contract's tools and roles tables. */
export const RBAC_REQUIREMENTS: Readonly<Record<string, string>> = {
  'rbac:create-needs-scope':
    'create-todo needs create:todos; without it the call is refused (HTTP 403 insufficient_scope, scope="create:todos") and nothing is stored (ARCHITECTURE §2 Tools; MCP authorization, scope challenge)',
  'rbac:create-owned-by-caller':
    "a created todo's ownerId is the creating token's sub, whatever the input (ARCHITECTURE §2 Tools, Todo)",
  'rbac:list-own-only':
    "get-todos without read:todos returns only the caller's own todos (ARCHITECTURE §2 Tools)",
  'rbac:list-all-with-read': "get-todos with read:todos returns every user's todos (ARCHITECTURE §2 Tools)",
  'rbac:owner-filter-needs-read':
    'the ownerId filter naming someone else needs read:todos (HTTP 403 insufficient_scope, scope="read:todos"); naming oneself needs nothing (ARCHITECTURE §2 Tools)',
  'rbac:owner-filter-with-read':
    "with read:todos, the ownerId filter narrows get-todos to that owner's todos (ARCHITECTURE §2 Tools)",
  'rbac:update-owner-only':
    "update-todo changes only the caller's own todos, whatever the scopes; anyone else's is not_found (ARCHITECTURE §2 Tools)",
  'rbac:delete-own':
    'any valid token may delete its own todos, with or without scopes (ARCHITECTURE §2 Tools)',
  'rbac:delete-others-with-scope': "delete:todos deletes anyone's todo (ARCHITECTURE §2 Tools)",
  'rbac:delete-others-denied':
    "without delete:todos, deleting someone else's todo is not_found and deletes nothing (ARCHITECTURE §2 Tools)",
  'rbac:not-found-indistinguishable':
    "a todo the caller may not touch, a missing todo and a malformed id get the same not_found error: no caller learns that another user's todo exists (ARCHITECTURE §2 Todo)",
  'rbac:no-scope-own-todos':
    'a valid token with no scopes can still list, update and delete its own todos (ARCHITECTURE §2 Tools, "who")',
  'rbac:no-cross-talk': 'Concurrent callers never receive another user’s data (GHSA-345p-7cg4-v4c7)',
  'rbac:whoami-any-token': 'whoami answers any valid token, scopes or not (ARCHITECTURE §2 Tools)',
  'rbac:cursor-no-widening':
    "a page cursor grants nothing: replayed by another caller or forged, it never reaches todos outside the caller's reach (ARCHITECTURE §2 Tools; keyset cursors are bound to their listing)",
  'rbac:cursor-bound-to-query':
    'a cursor is valid only for the filters it was issued with; used with other filters, truncated or garbled, it is invalid_params (ARCHITECTURE §2 Tools)',
};
