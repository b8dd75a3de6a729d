import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from './app';

// A stand-in for vite's output, so the test needs no build.
const distDir = mkdtempSync(path.join(os.tmpdir(), 'masspay-dist-'));
mkdirSync(path.join(distDir, 'assets'));
writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>MassPay Wallet Console</title>');
writeFileSync(path.join(distDir, 'assets', 'index-abc123.js'), 'console.log(1)');

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildServer({ distDir });
});
afterAll(async () => {
  await app.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe('buildServer', () => {
  it('answers the health check', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves index.html uncached', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('falls back to index.html for client-side routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/users/42/wallets?tab=autopay' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>MassPay Wallet Console</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each(['/assets/missing.js', '/api/unknown', '/auth/unknown'])('answers 404 for %s', async (url) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 404 to a non-GET on an unknown path', async () => {
    const res = await app.inject({ method: 'POST', url: '/somewhere' });
    expect(res.statusCode).toBe(404);
  });
});
