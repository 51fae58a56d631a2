import { TOOLS } from '../tool-catalog.js';
import type { ToolDefinition } from '../tool-definition.js';

const TOOL_BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

/** One `tools/call` of a JSON-RPC message. */
export interface ToolCallRequest {
  /** The tool called, when it is one of ours. */
  readonly tool: ToolDefinition | undefined;
  /** Its name for metrics and rate limits: ours by name, `unknown` otherwise, so labels stay few. */
  readonly label: string;
  readonly args: unknown;
}

/** Every `tools/call` a message makes: one for a single request, any number in a batch. */
export function toolCallsOf(message: unknown): ToolCallRequest[] {
  return (Array.isArray(message) ? message : [message]).flatMap((item: unknown) => {
    const { method, params } = (item ?? {}) as { method?: unknown; params?: unknown };
    if (method !== 'tools/call') return [];
    const { name, arguments: args } = (params ?? {}) as { name?: unknown; arguments?: unknown };
    const tool = typeof name === 'string' ? TOOL_BY_NAME.get(name) : undefined;
    return [{ tool, label: tool?.name ?? 'unknown', args }];
  });
}

export function toolNamed(name: string): ToolDefinition | undefined {
  return TOOL_BY_NAME.get(name);
}
