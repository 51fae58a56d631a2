import type { CliIo } from './io.js';

export const USAGE = `Usage: todo-manager <command> [options]

Commands:
  serve                                  Start the MCP server (what "npm start" runs)
  migrate                                Apply database migrations and exit
  users add <username> --role <role>     Add a user of the embedded authorization server
  users list                             List users and their roles
  users remove <username>                Remove a user and revoke their sign-ins
  users set-role <username> <role>       Change a role (user or admin) and revoke their sign-ins
  users set-password <username>          Set a new password and revoke their sign-ins
  users disable <username>               Stop a user from signing in and revoke their sign-ins
  users enable <username>                Let a disabled user sign in again
  clients add <name> --service --role <role>
                                         Add a service client (client_credentials grant)
  clients add <name> --enterprise        Add an enterprise client (ID-JAG, JWT bearer grant)
  clients list                           List service and enterprise clients
  clients remove <client_id>             Remove a client
  clients rotate-secret <client_id>      Give a client a new secret (shown once)
  keys list                              List the token signing keys
  keys rotate                            Start signing with a new key (takes effect at the next start)
  audit tail                             Show the newest audit events

Run "todo-manager <command> --help" for a command's options.`;

/**
 * Prints a usage text on stdout. Asked for (`--help`), that is a success; shown because the
 * command was missing, it is a failure: exit status 1.
 */
export function printUsage(io: CliIo, usage: string, isAsked: boolean): number {
  io.stdout.write(`${usage}\n`);
  return isAsked ? 0 : 1;
}
