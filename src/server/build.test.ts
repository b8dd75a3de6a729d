import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { APP_PAGES, pageModulePath } from '../api';
import { readPagePreloads } from './page-preloads';

const walk = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat();
};

/**
 * Vite's build into `outDir`, as Vitest runs it: with NODE_ENV=test. The config makes every build a
 * production one by setting NODE_ENV for the process; this worker's is put back afterwards.
 */
const buildInto = async (outDir: string) => {
  const saved = process.env.NODE_ENV;
  try {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = saved;
  }
};

describe('the built SPA', () => {
  it('holds neither the MassPay key nor the name MASSPAY_API_KEY, even when the key is in the build environment', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'masspay-build-'));
    const marker = 'mp_live_marker_9f2c1e7a4b';
    const saved = process.env.MASSPAY_API_KEY;
    process.env.MASSPAY_API_KEY = marker;
    process.env.VITE_MASSPAY_API_KEY = marker;
    try {
      await buildInto(outDir);
      const files = await walk(outDir);
      expect(files.some((f) => f.endsWith('.js'))).toBe(true);
      for (const file of files) {
        const text = await readFile(file, 'utf8');
        expect(text, file).not.toContain(marker);
        expect(text, file).not.toContain('MASSPAY_API_KEY');
      }
    } finally {
      if (saved === undefined) delete process.env.MASSPAY_API_KEY;
      else process.env.MASSPAY_API_KEY = saved;
      delete process.env.VITE_MASSPAY_API_KEY;
      await rm(outDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("has a chunk for each page of APP_PAGES, whose code the server preloads beside the entry's", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'masspay-build-'));
    try {
      await buildInto(outDir);
      const manifest = JSON.parse(await readFile(path.join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; isEntry?: boolean }>;
      const entryFile = Object.values(manifest).find((chunk) => chunk.isEntry)!.file;
      const preloads = new Map((await readPagePreloads(outDir)).map((page) => [page.path, page.links]));
      for (const { path: pagePath, page } of Object.values(APP_PAGES)) {
        const chunk = manifest[pageModulePath(page)];
        expect(chunk, page).toBeDefined();
        expect(preloads.get(pagePath), page).toContain(`href="/${chunk!.file}"`);
        expect(preloads.get(pagePath), page).not.toContain(entryFile);
      }
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it("is React's production build, though this build runs with NODE_ENV=test (as the launcher's does under Vitest)", async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const outDir = await mkdtemp(path.join(tmpdir(), 'masspay-build-'));
    try {
      await buildInto(outDir);
      const scripts = (await walk(outDir)).filter((f) => f.endsWith('.js'));
      expect(scripts.length).toBeGreaterThan(0);
      // A warning only React's development build holds (its StrictMode runs every effect twice).
      for (const file of scripts) expect(await readFile(file, 'utf8'), file).not.toContain('not wrapped in act(');
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
