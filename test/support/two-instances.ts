import { after, before } from 'node:test';
import { freshSchema, type TestDatabase } from './postgres.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** Two server processes behind one public URL (a TCP proxy in front) on one fresh PostgreSQL schema. */
export interface TwoInstances {
  readonly database: TestDatabase;
  /** The public URL's port; `setTarget` picks the instance it forwards to (`a` at first). */
  readonly balancer: TcpProxy;
  readonly a: ServerProcess;
  readonly b: ServerProcess;
}

/**
 * Starts both instances at once on the empty schema before the file's tests, as replicas of a new
 * deployment do, and kills them after. The fields are set once `before` has run.
 */
export function useTwoInstances(): TwoInstances {
  const ctx = {} as { -readonly [K in keyof TwoInstances]: TwoInstances[K] };
  before(async () => {
    ctx.database = await freshSchema();
    ctx.balancer = await startTcpProxy(1);
    const shared = {
      PUBLIC_URL: `http://localhost:${ctx.balancer.port}`,
      DATABASE_URL: ctx.database.url,
      PORT: '0',
    };
    [ctx.a, ctx.b] = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
    ctx.balancer.setTarget(ctx.a.port);
  });
  after(async () => {
    await ctx.a?.stop('SIGKILL');
    await ctx.b?.stop('SIGKILL');
    await ctx.balancer?.close();
    await ctx.database?.dispose();
  });
  return ctx;
}
