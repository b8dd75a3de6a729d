import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SandboxState } from './state';

export const STATE_FILE = 'sandbox-state.json';

/** Reads the persisted state, or `undefined` when there is none yet. A torn or foreign file is an error, not a reset. */
export const readState = async (dataDir: string): Promise<SandboxState | undefined> => {
  let text: string;
  try {
    text = await readFile(join(dataDir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as SandboxState;
  if (state.version !== 1) throw new Error(`${join(dataDir, STATE_FILE)} has unknown version ${String(state.version)}`);
  return state;
};

let tempCounter = 0;

/** Atomic replace: write a temp file beside the target, fsync it, rename over, fsync the folder. */
export const writeFileAtomic = async (path: string, contents: string, mode = 0o600): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
};

/**
 * Group commit: every caller of `flush()` resolves once a write that started after its call has
 * finished, so an answer is only sent for a change that is on disk, while a burst of changes shares
 * one write instead of queueing one each.
 */
export const createPersister = (dataDir: string, snapshot: () => string) => {
  const path = join(dataDir, STATE_FILE);
  let writing: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const writeOnce = async () => writeFileAtomic(path, snapshot());

  const flush = (): Promise<void> => {
    if (!writing) {
      writing = writeOnce().finally(() => {
        writing = undefined;
      });
      return writing;
    }
    next ??= writing
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return flush();
      });
    return next;
  };
  return { flush, path };
};
