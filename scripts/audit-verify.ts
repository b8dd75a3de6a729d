/**
 * `npm run audit:verify -- [postgres://… | DATA_DIR] [--anchor <id>:<hash>] [--json]`: checks the audit
 * log's hash chain — every entry recomputed here from the database's rows — and says whether it is
 * intact, how many entries were checked and the first one that is not. Exit code 0: intact; 1: broken;
 * 2: could not check.
 *
 * The target: a PostgreSQL URL (any role that may read audit_log: the application's is enough), or a
 * DATA_DIR whose embedded log (DATA_DIR/audit-db) no server has open — the check refuses one that is in
 * use. Without one: DATABASE_URL, else DATA_DIR, else ./data. Nothing is written, nothing migrated.
 * `--anchor` is a head printed by an earlier check (or shown on /audit): that entry must still be there
 * with that hash, which catches a log rewritten whole, not only one changed entry.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { verifyAuditChain, type ChainVerdict } from '../src/server/audit/chain';
import type { SqlDb } from '../src/server/audit/db';
import { MIGRATIONS } from '../src/server/audit/migrations';

const CHAIN_VERSION = MIGRATIONS.find((migration) => migration.name === 'audit_chain')!.version;

class UsageError extends Error {}

/** The URL as it may be printed: no password. */
const shown = (url: string) => {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
};

const openTarget = async (target: string): Promise<{ db: SqlDb; label: string }> => {
  if (/^postgres(ql)?:\/\//.test(target)) {
    const { openPostgres } = await import('../src/server/audit/postgres');
    return { db: await openPostgres(target, { locks: false }), label: `PostgreSQL ${shown(target)}` };
  }
  const dir = join(resolve(target), 'audit-db');
  // PGlite would create an empty database where there is none: that would check nothing.
  if (!existsSync(join(dir, 'PG_VERSION'))) throw new UsageError(`There is no embedded audit log in ${dir}.`);
  const { openPglite } = await import('../src/server/audit/pglite');
  return { db: await openPglite(dir), label: `the embedded log in ${dir}` };
};

export interface VerifyRun {
  verdict: ChainVerdict;
  label: string;
}

/** Opens the target, checks the chain, closes. Throws UsageError for a target it cannot check. */
export const runVerify = async (target: string, anchor?: { id: string; hash: string }): Promise<VerifyRun> => {
  const { db, label } = await openTarget(target);
  try {
    const [exists] = await db.query<{ found: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS found`);
    const [state] = exists?.found ? await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations') : [];
    if (state?.version == null) throw new UsageError(`${label} holds no audit log.`);
    if (state.version < CHAIN_VERSION) {
      throw new UsageError(`${label} predates the hash chain (schema version ${state.version}): start the console once on it to migrate, then check.`);
    }
    return { verdict: await verifyAuditChain(db, { anchor }), label };
  } finally {
    await db.close();
  }
};

export const parseAnchor = (value: string | undefined) => {
  if (value === undefined) return undefined;
  const match = /^([1-9]\d*):([0-9a-fA-F]{64})$/.exec(value);
  if (!match) throw new UsageError('--anchor must be <id>:<hash>, e.g. 1234:9f86d081… (64 hex digits), as a check printed it.');
  return { id: match[1]!, hash: match[2]!.toLowerCase() };
};

export const report = ({ verdict, label }: VerifyRun): string => {
  const lines = [`Audit log: ${label}`];
  if (verdict.verified) {
    lines.push(`INTACT: ${verdict.checkedEntries} ${verdict.checkedEntries === 1 ? 'entry' : 'entries'} checked, every hash matches the chain.`);
  } else {
    lines.push(`BROKEN at entry ${verdict.brokenAt}: ${verdict.detail}`);
    lines.push(`${verdict.checkedEntries} entries checked, ${verdict.brokenEntries} do not match.`);
  }
  if (verdict.head) lines.push(`Last entry: ${verdict.head.id}:${verdict.head.hash} (note it; a later check can take it as --anchor)`);
  return lines.join('\n');
};

const main = async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { anchor: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new UsageError('Give one target: a postgres:// URL or a DATA_DIR.');
  const target = positionals[0] ?? process.env.DATABASE_URL ?? process.env.DATA_DIR ?? './data';
  const run = await runVerify(target, parseAnchor(values.anchor));
  console.log(values.json ? JSON.stringify({ target: run.label, ...run.verdict }) : report(run));
  return run.verdict.verified ? 0 : 1;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? error.message : `Could not check the audit log: ${(error as Error).message}`);
      process.exit(2);
    },
  );
}
