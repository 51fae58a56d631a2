import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accessPolicy,
  type Decision,
  isWithinReach,
  type OwnerConstraint,
} from '../../../src/todos/access-policy.js';
import type { Actor, TodoScope } from '../../../src/todos/scopes.js';

const SELF = 'sam';
const OTHER = 'olga';

const actor = (...scopes: string[]): Actor => ({ subject: SELF, scopes: new Set(scopes) });

const ACTORS = {
  admin: actor('create:todos', 'read:todos', 'delete:todos'),
  user: actor('create:todos'),
  'no-scope': actor(),
  'read-only': actor('read:todos'),
  'delete-only': actor('delete:todos'),
  // Scope matching is exact: look-alikes grant nothing.
  'look-alike scopes': actor('Read:Todos', 'read:todos:all', 'delete', 'admin', ' create:todos'),
} as const;
type ActorName = keyof typeof ACTORS;

const OPERATIONS = {
  create: (a: Actor) => accessPolicy.create(a),
  'list (no ownerId)': (a: Actor) => accessPolicy.list(a),
  'list (own ownerId)': (a: Actor) => accessPolicy.list(a, SELF),
  "list (other's ownerId)": (a: Actor) => accessPolicy.list(a, OTHER),
  update: (a: Actor) => accessPolicy.update(a),
  delete: (a: Actor) => accessPolicy.delete(a),
} as const;
type OperationName = keyof typeof OPERATIONS;

/** What a cell must decide: a refusal naming the missing scope, or a reach and which todos it touches. */
type Expected =
  | { readonly refused: TodoScope }
  | { readonly reach: OwnerConstraint; readonly owned: boolean; readonly notOwned: boolean };

const ANY = { kind: 'any' } as const;
const OWN = { kind: 'owner', ownerId: SELF } as const;
const OTHERS = { kind: 'owner', ownerId: OTHER } as const;
const own: Expected = { reach: OWN, owned: true, notOwned: false };
const all: Expected = { reach: ANY, owned: true, notOwned: true };
const othersOnly: Expected = { reach: OTHERS, owned: false, notOwned: true };
const refused = (scope: TodoScope): Expected => ({ refused: scope });

// Written out cell by cell (not derived from the scopes) so that the table is the specification.
const MATRIX: Record<ActorName, Record<OperationName, Expected>> = {
  admin: {
    create: own,
    'list (no ownerId)': all,
    'list (own ownerId)': own,
    "list (other's ownerId)": othersOnly,
    update: own,
    delete: all,
  },
  user: {
    create: own,
    'list (no ownerId)': own,
    'list (own ownerId)': own,
    "list (other's ownerId)": refused('read:todos'),
    update: own,
    delete: own,
  },
  'no-scope': {
    create: refused('create:todos'),
    'list (no ownerId)': own,
    'list (own ownerId)': own,
    "list (other's ownerId)": refused('read:todos'),
    update: own,
    delete: own,
  },
  'read-only': {
    create: refused('create:todos'),
    'list (no ownerId)': all,
    'list (own ownerId)': own,
    "list (other's ownerId)": othersOnly,
    update: own,
    delete: own,
  },
  'delete-only': {
    create: refused('create:todos'),
    'list (no ownerId)': own,
    'list (own ownerId)': own,
    "list (other's ownerId)": refused('read:todos'),
    update: own,
    delete: all,
  },
  'look-alike scopes': {
    create: refused('create:todos'),
    'list (no ownerId)': own,
    'list (own ownerId)': own,
    "list (other's ownerId)": refused('read:todos'),
    update: own,
    delete: own,
  },
};

/** The requirement each operation's cells exercise, for the test names. */
function requirementOf(operation: OperationName, expected: Expected): string {
  switch (operation) {
    case 'create':
      return 'refused' in expected ? 'rbac:create-needs-scope' : 'rbac:create-owned-by-caller';
    case 'list (no ownerId)':
      return 'refused' in expected || expected.notOwned ? 'rbac:list-all-with-read' : 'rbac:list-own-only';
    case 'list (own ownerId)':
    case "list (other's ownerId)":
      return 'refused' in expected ? 'rbac:owner-filter-needs-read' : 'rbac:owner-filter-with-read';
    case 'update':
      return 'rbac:update-owner-only';
    case 'delete':
      return 'refused' in expected || expected.notOwned ? 'rbac:delete-others-with-scope' : 'rbac:delete-own';
  }
}

const ownedTodo = { ownerId: SELF };
const notOwnedTodo = { ownerId: OTHER };

describe('access policy matrix: actor × operation × owned / not-owned todo', () => {
  for (const [actorName, row] of Object.entries(MATRIX) as [ActorName, Record<OperationName, Expected>][]) {
    for (const [operation, expected] of Object.entries(row) as [OperationName, Expected][]) {
      const outcome =
        'refused' in expected
          ? `refused, missing ${expected.refused}`
          : `owned ${expected.owned ? 'reached' : 'not reached'}, not-owned ${expected.notOwned ? 'reached' : 'not reached'}`;
      test(`${actorName} × ${operation} → ${outcome} [${requirementOf(operation, expected)}]`, () => {
        const decision: Decision = OPERATIONS[operation](ACTORS[actorName]);
        if ('refused' in expected) {
          assert.deepEqual(decision, { allowed: false, missingScope: expected.refused });
          return;
        }
        assert.deepEqual(decision, { allowed: true, reach: expected.reach });
        assert.ok(decision.allowed);
        assert.equal(isWithinReach(decision.reach, ownedTodo), expected.owned, 'owned todo');
        assert.equal(isWithinReach(decision.reach, notOwnedTodo), expected.notOwned, 'not-owned todo');
      });
    }
  }

  test('the matrix covers every actor and every operation', () => {
    assert.deepEqual(Object.keys(MATRIX).sort(), Object.keys(ACTORS).sort());
    for (const row of Object.values(MATRIX)) {
      assert.deepEqual(Object.keys(row).sort(), Object.keys(OPERATIONS).sort());
    }
  });
});

describe('access policy details', () => {
  test('the reach is always the acting subject, never one taken from elsewhere [rbac:create-owned-by-caller]', () => {
    const someone: Actor = { subject: 'x|y', scopes: new Set(['create:todos']) };
    assert.deepEqual(accessPolicy.create(someone), {
      allowed: true,
      reach: { kind: 'owner', ownerId: 'x|y' },
    });
    assert.deepEqual(accessPolicy.update(someone), {
      allowed: true,
      reach: { kind: 'owner', ownerId: 'x|y' },
    });
  });

  test('subjects compare exactly: a near-miss ownerId is someone else [rbac:owner-filter-needs-read]', () => {
    for (const nearMiss of ['SAM', 'sam ', ' sam', 'sa', 'samm']) {
      assert.deepEqual(accessPolicy.list(ACTORS.user, nearMiss), {
        allowed: false,
        missingScope: 'read:todos',
      });
    }
  });

  test('an empty ownerId is an owner filter, not "no filter" [rbac:owner-filter-needs-read]', () => {
    assert.deepEqual(accessPolicy.list(ACTORS.user, ''), { allowed: false, missingScope: 'read:todos' });
    assert.deepEqual(accessPolicy.list(ACTORS.admin, ''), {
      allowed: true,
      reach: { kind: 'owner', ownerId: '' },
    });
  });

  test('isWithinReach: any reaches every owner; owner reaches exactly that owner', () => {
    assert.equal(isWithinReach({ kind: 'any' }, { ownerId: '' }), true);
    assert.equal(isWithinReach({ kind: 'owner', ownerId: 'a' }, { ownerId: 'a' }), true);
    assert.equal(isWithinReach({ kind: 'owner', ownerId: 'a' }, { ownerId: 'A' }), false);
    assert.equal(isWithinReach({ kind: 'owner', ownerId: 'a' }, { ownerId: 'a ' }), false);
  });
});
