import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.js';

/** Binds the server, resolving with the address it got; a port that cannot be had is said plainly. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve(server.address() as AddressInfo);
    });
  });
}

/** A port that cannot be had is the operator's to fix: said plainly, not as a stack trace. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  const problem =
    error.code === 'EADDRINUSE'
      ? `${where} is already in use; stop what listens there or choose another PORT`
      : error.code === 'EACCES'
        ? `this process may not listen on ${where}; choose a PORT above 1023 or grant the right`
        : error.code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this machine; check HOST`
          : undefined;
  return problem === undefined
    ? error
    : new AppError('internal_error', problem, { cause: error, isSafe: true });
}

/** Stops accepting, closes idle keep-alive connections and resolves once in-flight requests finished. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
