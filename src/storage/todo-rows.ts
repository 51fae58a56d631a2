import type { Todo } from '../todos/todo.js';
import type { DriverValues } from './driver-values.js';

/** A `todos` row as a driver reads it; `Time` and `Flag` are how it returns timestamps and booleans. */
export interface TodoRow<Time, Flag> {
  readonly id: string;
  readonly owner_id: string;
  readonly content: string;
  readonly done: Flag;
  readonly created_at: Time;
  readonly updated_at: Time;
}

/** The todo a row holds. */
export function toTodo<Time, Flag>(row: TodoRow<Time, Flag>, values: DriverValues<Time, Flag>): Todo {
  return {
    id: row.id,
    content: row.content,
    ownerId: row.owner_id,
    createdAt: values.isoText(row.created_at),
    updatedAt: values.isoText(row.updated_at),
    done: values.isTrue(row.done),
  };
}
