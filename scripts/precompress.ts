/**
 * Brotli and gzip copies of the built SPA's assets (`x.js` → `x.js.br`, `x.js.gz`), made once at build
 * time at the highest levels, so the server sends them by `Accept-Encoding` without compressing per
 * request (src/server/spa.ts, @fastify/static's `preCompressed`). A copy that would not be smaller is
 * not written: the server then sends the file as it is.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text the browser fetches; images other than SVG and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|html|txt|wasm)$/;

export interface Precompressed {
  file: string;
  raw: number;
  br?: number;
  gz?: number;
}

export const precompressDir = async (dir: string): Promise<Precompressed[]> => {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && COMPRESSIBLE.test(e.name));
  return Promise.all(
    names.map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const raw = await readFile(file);
      const [br, gz] = await Promise.all([
        brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
        gzipAsync(raw, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      const result: Precompressed = { file, raw: raw.length };
      if (br.length < raw.length) await writeFile(`${file}.br`, br).then(() => (result.br = br.length));
      if (gz.length < raw.length) await writeFile(`${file}.gz`, gz).then(() => (result.gz = gz.length));
      return result;
    }),
  );
};
