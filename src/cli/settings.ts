import { parseArgs } from 'node:util';
import { type ConfigInput, configSchema } from '../config/load-config.js';
import type { CliIo } from './io.js';

/** Every setting, in the schema's order: each an environment variable and a flag of `serve`. */
export const SETTINGS = Object.keys(configSchema.shape) as (keyof ConfigInput)[];

/** `DATABASE_URL` → `database-url`. */
export const flagName = (key: string) => key.toLowerCase().replaceAll('_', '-');

/** Reads settings from the environment, then lets the `--kebab-case` flags of `allowed` override them. */
export function readSettings(
  args: string[],
  allowed: readonly (keyof ConfigInput)[],
  env: CliIo['env'],
): ConfigInput | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(allowed.map((key) => [flagName(key), { type: 'string' as const }])),
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const settings: ConfigInput = {};
  for (const key of SETTINGS) {
    const value = (values as Record<string, unknown>)[flagName(key)] ?? env[key];
    if (typeof value === 'string') settings[key] = value;
  }
  return settings;
}
