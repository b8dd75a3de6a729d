import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/app';

export interface RunningSandbox {
  sandbox: Sandbox;
  baseUrl: string;
  apiKey: string;
  dataDir: string;
  /** fetch against the sandbox with its key (as `Bearer`), JSON in and out. */
  call: (method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }) => Promise<{ status: number; body: any; headers: Headers }>;
  close: () => Promise<void>;
}

/** A real sandbox on an ephemeral loopback port with a fresh temporary DATA_DIR (tests only). */
export const startSandbox = async (options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> => {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'masspay-sandbox-')));
  const sandbox = await createSandbox({ ...options, dataDir });
  const baseUrl = await sandbox.listen();
  const call: RunningSandbox['call'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${sandbox.apiKey}`, ...init.headers };
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text so the assertion shows it
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return {
    sandbox,
    baseUrl,
    apiKey: sandbox.apiKey,
    dataDir,
    call,
    close: async () => {
      await sandbox.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
};
