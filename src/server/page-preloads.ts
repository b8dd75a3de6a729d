import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_PAGES, pageModulePath, type AppPage } from '../api';

/** What the server needs of Vite's manifest (`dist/.vite/manifest.json`, `build.manifest: true`). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** A page's path and the `<link rel="modulepreload">` tags of its code. */
export interface PagePreloads {
  page: keyof typeof APP_PAGES;
  path: string;
  links: string;
}

const pageEntries = () => Object.entries(APP_PAGES) as [keyof typeof APP_PAGES, AppPage][];

/** The manifest keys of a chunk and its static imports, recursively, less what `skip` holds. */
const staticClosure = (manifest: Manifest, key: string, skip: ReadonlySet<string>, seen = new Set<string>()): string[] => {
  if (seen.has(key) || skip.has(key) || !manifest[key]) return [];
  seen.add(key);
  return [key, ...(manifest[key].imports ?? []).flatMap((imported) => staticClosure(manifest, imported, skip, seen))];
};

/**
 * For each page of `APP_PAGES`, the modulepreload links of the code it needs before it renders: its
 * chunk and that chunk's static imports, less the entry chunk and its own imports (index.html loads
 * those). Chunks a page imports lazily (dialogs, sections below the fold) stay lazy. Without a manifest
 * (a build from before it, or a stand-in dist in tests) no page has any.
 */
export const readPagePreloads = async (distDir: string): Promise<PagePreloads[]> => {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return pageEntries().map(([page, { path: pagePath }]) => ({ page, path: pagePath, links: '' }));
  }
  const entries = Object.keys(manifest).filter((key) => manifest[key]!.isEntry);
  const loadedByIndex = new Set(entries.flatMap((key) => staticClosure(manifest, key, new Set())));
  return pageEntries().map(([key, page]) => ({
    page: key,
    path: page.path,
    links: staticClosure(manifest, pageModulePath(page.page), loadedByIndex)
      .map((key) => `<link rel="modulepreload" crossorigin href="/${manifest[key]!.file}">`)
      .join(''),
  }));
};
