import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
interface ActionArgsConfig<T extends Options> {
  args: string[];
  options: T & { help: { type: 'boolean'; short: 'h' } };
  allowPositionals: true;
  strict: true;
}

/**
 * Parses the arguments of a command with actions (`users add alice --role user`): positionals,
 * the given options and `-h, --help`. An unknown option throws (`ERR_PARSE_ARGS_*`).
 */
export function parseActionArgs<T extends Options>(
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<ActionArgsConfig<T>>> {
  return parseArgs<ActionArgsConfig<T>>({
    args,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
}
