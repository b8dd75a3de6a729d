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

describe('the built SPA', () => {
  it('holds neither the MassPay key nor the name MASSPAY_API_KEY, even when the key is in the build environment', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'masspay-build-'));
    const marker = 'mp_live_marker_9f2c1e7a4b';
    const saved = process.env.MASSPAY_API_KEY;
    process.env.MASSPAY_API_KEY = marker;
    process.env.VITE_MASSPAY_API_KEY = marker;
    try {
      await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
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
      await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
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
});
