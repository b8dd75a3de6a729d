/**
 * Waits, before a server of the e2e run starts, for what it needs (playwright.config.ts), each in turn:
 * `--pg <url>` until that PostgreSQL database takes queries (the server's port opens a moment before
 * `scripts/postgres.ts` has created the database), `--http <url>` until that URL answers 2xx,
 * `--port <url>` until its host and port take a connection, `--file <path>` until that file exists.
 * Fails after 180 s. `--stay` (last): then prints "e2e servers ready" and runs until stopped.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';

const DEADLINE = Date.now() + 180_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const untilReady = async (what: string, attempt: () => Promise<void>) => {
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (Date.now() > DEADLINE) {
        console.error(`wait-for: ${what} is not ready: ${(error as Error).message}`);
        process.exit(1);
      }
      await sleep(200);
    }
  }
};

const args = process.argv.slice(2);
const stay = args.at(-1) === '--stay';
if (stay) args.pop();
for (let i = 0; i < args.length; i += 2) {
  const [flag, target] = [args[i], args[i + 1]];
  if (!target) {
    console.error(`wait-for: ${flag ?? '(nothing)'} needs a URL`);
    process.exit(2);
  }
  if (flag === '--pg') {
    await untilReady(target, async () => {
      const client = new pg.Client({ connectionString: target });
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => {});
      }
    });
  } else if (flag === '--http') {
    await untilReady(target, async () => {
      const answer = await fetch(target);
      if (!answer.ok) throw new Error(`answered ${answer.status}`);
    });
  } else if (flag === '--port') {
    const { hostname, port } = new URL(target);
    await untilReady(
      target,
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: hostname, port: Number(port) }, () => (socket.end(), resolve()));
          socket.once('error', reject);
        }),
    );
  } else if (flag === '--file') {
    await untilReady(target, async () => {
      if (!existsSync(target)) throw new Error('no such file yet');
    });
  } else {
    console.error(`wait-for: unknown option ${flag}`);
    process.exit(2);
  }
}
if (stay) {
  console.log('e2e servers ready');
  // Until Playwright stops the run's servers (SIGTERM).
  setInterval(() => undefined, 1 << 30);
}
