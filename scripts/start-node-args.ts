import { readFileSync } from 'node:fs';

/**
 * Node's options in `npm start` (package.json; the Dockerfile's CMD is the same command, a test checks
 * it), for the scripts that start the console themselves: a bench measures it as production runs it.
 */
export const START_NODE_ARGS: readonly string[] = (() => {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const start = scripts.start.split(' ');
  return start.slice(1, start.indexOf('scripts/launch.js'));
})();

/** The command line after `node` for a scripts/launch.js entry: `main` (the console) with `npm start`'s Node options. */
export const launchArgs = (entry: string, nodeArgs: readonly string[] = []): string[] => [
  ...(entry === 'main' ? START_NODE_ARGS : []),
  ...nodeArgs,
  'scripts/launch.js',
  entry,
];
