/**
 * The final stage of the Dockerfile, read so that scripts/production-start.test.ts runs the image's own
 * steps (no Docker on the developers' machines or CI). Knows the forms that Dockerfile uses: `ENV k=v …`,
 * `COPY [--from=stage] [--chown=…] src… dest`, `RUN [--mount=…] command`, exec-form `HEALTHCHECK … CMD [...]`
 * and `CMD [...]`.
 */
export interface ImageStage {
  env: Record<string, string>;
  /** `from`: a path inside an earlier stage's WORKDIR (the work tree there), else the build context. */
  copies: { fromStage: boolean; sources: string[]; dest: string }[];
  runs: string[];
  healthcheck: string[];
  cmd: string[];
  workdir: string;
}

const instructions = (text: string) =>
  text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });

const withoutFlags = (args: string) => args.split(/\s+/).filter((token) => !token.startsWith('--'));

export const readFinalStage = (dockerfile: string): ImageStage => {
  const all = instructions(dockerfile);
  const from = all.map((i) => i.keyword).lastIndexOf('FROM');
  const stage: ImageStage = { env: {}, copies: [], runs: [], healthcheck: [], cmd: [], workdir: '/' };
  for (const { keyword, args } of all.slice(from + 1)) {
    if (keyword === 'WORKDIR') stage.workdir = args;
    else if (keyword === 'ENV') for (const pair of args.split(/\s+/)) stage.env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    else if (keyword === 'COPY') {
      const paths = withoutFlags(args);
      stage.copies.push({ fromStage: args.includes('--from='), sources: paths.slice(0, -1), dest: paths.at(-1)! });
    } else if (keyword === 'RUN') stage.runs.push(args.replace(/^(--\S+\s+)+/, ''));
    else if (keyword === 'HEALTHCHECK') stage.healthcheck = JSON.parse(args.slice(args.indexOf('CMD ') + 4)) as string[];
    else if (keyword === 'CMD') stage.cmd = JSON.parse(args) as string[];
  }
  return stage;
};
