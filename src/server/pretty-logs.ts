import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * pino-pretty as the logger's transport (a worker thread), when it is installed: it is a dev
 * dependency, so a production install (`npm ci --omit=dev`) keeps JSON lines whatever the caller asks.
 */
export const prettyTransport = (): { target: string; options: Record<string, unknown> } | undefined => {
  try {
    return { target: require.resolve('pino-pretty'), options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } };
  } catch {
    return undefined;
  }
};
