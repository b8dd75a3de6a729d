import type { AuditAction } from '../../api';
import type { AuditStore } from '../audit/store';
import type { Metrics } from './registry';

const RULE_ACTIONS: ReadonlySet<AuditAction> = new Set(['add_rule', 'delete_rule', 'edit_rule']);

/**
 * The audit store as the server uses it, each append counted: every write (by action, the entry's
 * outcome, ok or error) and, for rule changes, each recorded step — `recordStep` and `recordForbidden`
 * both append here, so every step of every change is counted once, after it is durable.
 */
export const countAuditWrites = (store: AuditStore, metrics: Metrics): AuditStore => {
  // The store's other members (and `this` in them) stay the store's own.
  const counted = Object.create(store) as AuditStore;
  counted.append = async (entry) => {
    const started = performance.now();
    try {
      const written = await store.append(entry);
      metrics.auditWrite(entry.action, entry.outcome, 'ok', (performance.now() - started) / 1000);
      if (RULE_ACTIONS.has(entry.action)) metrics.ruleChange(entry.action, entry.outcome);
      return written;
    } catch (error) {
      metrics.auditWrite(entry.action, entry.outcome, 'error', (performance.now() - started) / 1000);
      throw error;
    }
  };
  return counted;
};
