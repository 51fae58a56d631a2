import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInHooks } from './hooks.js';

export interface TempDir {
  readonly path: string;
  /** A path inside the folder. */
  file(...names: string[]): string;
  /** Removes the folder and everything in it. */
  dispose(): Promise<void>;
}

/** A fresh folder under the system's temporary directory, its name starting with `prefix`. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (...names) => join(path, ...names),
    dispose: () => rm(path, { recursive: true, force: true }),
  };
}

/**
 * A temporary folder for the tests of the current file or `describe`: made before the first,
 * removed after the last. The function it returns names a path inside it (call it inside tests).
 */
export function useTempDir(prefix: string): (...names: string[]) => string {
  const dir = startInHooks(
    () => makeTempDir(prefix),
    (made) => made.dispose(),
  );
  return (...names) => dir.current().file(...names);
}
