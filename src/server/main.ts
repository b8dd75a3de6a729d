import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { z } from 'zod';
import { buildServer } from './app';

const rootDir = path.resolve(import.meta.dirname, '../..');
const distDir = path.join(rootDir, 'dist');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const parsed = envSchema.safeParse(process.env);
if (!parsed.success) {
  console.error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  process.exit(1);
}
const env = parsed.data;

// A fresh clone has no dist/: build the SPA once so `npm start` works on its own.
if (!existsSync(path.join(distDir, 'index.html'))) {
  console.log('dist/index.html not found, running vite build…');
  const viteBin = path.join(rootDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawn(process.execPath, [viteBin, 'build'], { cwd: rootDir, stdio: 'inherit' });
  const [code] = (await once(build, 'exit')) as [number | null];
  if (code !== 0) {
    console.error(`vite build failed (exit code ${code})`);
    process.exit(1);
  }
}

const app = await buildServer({ distDir, logger: { level: env.LOG_LEVEL } });

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  else app.log.info(`${signal ?? 'close'} received, closing`);
  await app.close();
});

await app.listen({ port: env.PORT, host: env.HOST });
console.log(`MassPay Wallet Console listening on http://${env.HOST}:${env.PORT}`);
