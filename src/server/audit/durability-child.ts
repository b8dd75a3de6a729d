// Run by store.test.ts in a child process that it SIGKILLs mid-burst: appends entries as fast as it
// can and prints each id only once `append` resolved, i.e. once the store calls it committed.
// Usage: node --import tsx durability-child.ts <dataDir> <count>
import { openAuditStore } from './store';

const [dataDir, count = '1000'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: durability-child.ts <dataDir> <count>');
const started = Date.now();
const store = await openAuditStore({ dataDir });
// Pipes are written synchronously on Linux: a printed line has left this process before the next append.
process.stdout.write(`open ${Date.now() - started}\n`);
for (let i = 0; i < Number(count); i += 1) {
  const entry = await store.append({
    staffEmail: 'editor@example.com',
    staffRole: 'editor',
    action: 'add_rule',
    userToken: 'usr_durable',
    walletToken: 'wal_durable',
    destinationToken: 'dst_durable',
    percentage: 12.5,
    ruleToken: null,
    idempotencyKey: `key-${process.pid}-${i}`,
    masspayStatus: null,
    outcome: 'requested',
    requestId: `req-${process.pid}-${i}`,
  });
  process.stdout.write(`ack ${entry.id} ${entry.requestId}\n`);
}
await store.close();
process.stdout.write('done\n');
