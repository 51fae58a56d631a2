import type { ToolDefinition } from './tool-definition.js';
import { createTodo } from './tools/create-todo.js';
import { deleteTodo } from './tools/delete-todo.js';
import { getAuditEvents } from './tools/get-audit-events.js';
import { getTodos } from './tools/get-todos.js';
import { updateTodo } from './tools/update-todo.js';
import { whoami } from './tools/whoami.js';

/** Every tool the server offers, in the order tools/list shows them. */
export const TOOLS: readonly ToolDefinition[] = [
  createTodo,
  getTodos,
  updateTodo,
  deleteTodo,
  whoami,
  getAuditEvents,
];
