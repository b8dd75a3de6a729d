// The production start path, as the image runs it (no Docker here): the Dockerfile's final stage —
// its COPY of the built tree (no sources), its `RUN npm ci --omit=dev …`, its CMD (`npm start`'s own
// command) and its HEALTHCHECK — run in a fresh directory on the build that `npm run build` (the
// Dockerfile's build stage; `npm test` runs it before this) made; then `npm run staff:add` and
// `npm run audit:verify` there, compiled too. Needs the npm registry or the local npm cache.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFinalStage } from './dockerfile';

const ROOT = path.resolve(import.meta.dirname, '..');
const JSON_HEADERS = { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' };
const STAFF = { email: 'ann@example.com', password: 'a long enough password' };

let work: string;
let server: ChildProcess | undefined;

/** A container's environment, not this test run's (no MASSPAY_…, DATABASE_URL, npm_… leaking in). */
const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }),
  // The local npm cache first: the registry only for what it lacks.
  npm_config_prefer_offline: 'true',
});

const run = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }) => {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const waitForHealthz = async (baseUrl: string, output: () => string) => {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (server?.exitCode != null) throw new Error(`the server exited (${server.exitCode}):\n${output()}`);
    const status = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no /healthz 200 within 45 s:\n${output()}`);
};

const signIn = async (baseUrl: string, email: string, password: string) => {
  const response = await fetch(`${baseUrl}/auth/login`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ email, password }) });
  expect(response.status, `signing in as ${email}`).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
};

beforeAll(async () => {
  // The build `npm test` made just before; built here when missing or older than the sources.
  const build = run(process.execPath, ['scripts/launch.js', 'build'], { cwd: ROOT, env: process.env });
  expect(build.code, build.output).toBe(0);
  work = await mkdtemp(path.join(tmpdir(), 'masspay-production-'));
}, 120_000);

afterAll(async () => {
  server?.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

describe('the production start path (the Dockerfile, run without Docker)', () => {
  it('installs without dev dependencies, starts, serves a signed-in read, adds staff, stops on SIGTERM, and verifies its audit log', async () => {
    const stage = readFinalStage(await readFile(path.join(ROOT, 'Dockerfile'), 'utf8'));
    const app = path.join(work, 'app');
    await mkdir(app);
    for (const { fromStage, sources, dest } of stage.copies) {
      for (const source of sources) {
        // From the build stage: its work tree is this one, built by `npm run build`.
        const from = path.join(ROOT, fromStage ? path.posix.relative(stage.workdir, source) : source);
        const to = dest.endsWith('/') ? path.join(app, dest, path.basename(source)) : path.join(app, dest);
        await mkdir(path.dirname(to), { recursive: true });
        await cp(from, to, { recursive: true, preserveTimestamps: true });
      }
    }
    const env = { ...baseEnv(), ...stage.env };
    // The image's npm steps (the rest, mkdir and chown for its `node` user, is the container's business).
    for (const command of stage.runs.filter((step) => step.startsWith('npm '))) {
      const step = run('sh', ['-c', command], { cwd: app, env });
      expect(step.code, `${command}\n${step.output}`).toBe(0);
    }
    await expect(readFile(path.join(app, 'node_modules', 'tsx', 'package.json'))).rejects.toThrow();

    const staffFile = path.join(work, 'staff.json');
    const added = run('npm', ['run', 'staff:add', '--', '--email', STAFF.email, '--name', 'Ann Lee', '--role', 'viewer'], {
      cwd: app,
      env: { ...env, STAFF_FILE: staffFile },
      input: `${STAFF.password}\n`,
    });
    expect(added.code, added.output).toBe(0);
    expect(added.output).toContain(`Added ${STAFF.email} (viewer)`);

    // `npm start` runs exactly this command (package.json), the image runs it without npm (see the Dockerfile).
    const { scripts } = JSON.parse(await readFile(path.join(app, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(stage.cmd.join(' ')).toBe(scripts.start);
    const port = await freePort();
    const dataDir = path.join(work, 'data');
    const serverEnv = { ...env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, STAFF_FILE: staffFile, LOG_LEVEL: 'warn' };
    server = spawn(stage.cmd[0]!, stage.cmd.slice(1), { cwd: app, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(server, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealthz(baseUrl, () => output);
    expect(output).not.toMatch(/Building the console/);

    const health = run(stage.healthcheck[0]!, stage.healthcheck.slice(1), { cwd: app, env: serverEnv });
    expect(health.code, `HEALTHCHECK: ${health.output}`).toBe(0);
    expect((await fetch(baseUrl)).status).toBe(200);

    const cookie = await signIn(baseUrl, 'editor@example.com', 'demo-password');
    const get = (route: string) => fetch(`${baseUrl}/api${route}`, { headers: { cookie } });
    const found = (await (await get('/payout/user/lookup?internal_user_id=ext-1001')).json()) as { user_token: string };
    const walletsAnswer = await get(`/payout/wallet/${found.user_token}`);
    expect(walletsAnswer.status).toBe(200);
    const wallets = (await walletsAnswer.json()) as { token: string; type: string }[];
    const card = wallets.find((wallet) => wallet.type === 'MASSPAY_CARD')!;
    // A card read is audited: the log has something for audit:verify to check.
    expect((await get(`/payout/wallet/${found.user_token}/${card.token}/card`)).status).toBe(200);
    await signIn(baseUrl, STAFF.email, STAFF.password);

    server.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });

    const verified = run('npm', ['run', 'audit:verify', '--', dataDir], { cwd: app, env });
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toMatch(/INTACT: [1-9]\d* entr(y|ies) checked/);
  }, 120_000);
});
