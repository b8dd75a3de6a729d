import { beforeEach, describe, expect, it } from 'vitest';
import { clearAddRuleDraft, clearAllAddRuleDrafts, readAddRuleDraft, saveAddRuleDraft, type AddRuleDraft } from './add-rule-draft';

const draft: AddRuleDraft = {
  staff: 'editor@example.com',
  values: { destination_token: 'dest_x', percentage: '12.5', attr_set_token: '' },
  fingerprint: '{"destination_token":"dest_x","percentage":12.5}',
  idempotencyKey: '6f1c2e8a-3b4d-4e6f-8a9b-0c1d2e3f4a5b',
};

beforeEach(() => sessionStorage.clear());

describe('the add-rule draft', () => {
  it('is kept per wallet in this tab, and given back to the one who left it', () => {
    saveAddRuleDraft('usr_a', 'wal_1', draft);
    expect(readAddRuleDraft('usr_a', 'wal_1', 'editor@example.com')).toEqual(draft);
    expect(readAddRuleDraft('usr_a', 'wal_2', 'editor@example.com')).toBeUndefined();
  });

  it('is dropped when someone else signs in, when it is cleared, and on sign-out', () => {
    saveAddRuleDraft('usr_a', 'wal_1', draft);
    expect(readAddRuleDraft('usr_a', 'wal_1', 'admin@example.com')).toBeUndefined();
    expect(readAddRuleDraft('usr_a', 'wal_1', 'editor@example.com')).toBeUndefined();

    saveAddRuleDraft('usr_a', 'wal_1', draft);
    clearAddRuleDraft('usr_a', 'wal_1');
    expect(readAddRuleDraft('usr_a', 'wal_1', 'editor@example.com')).toBeUndefined();

    saveAddRuleDraft('usr_a', 'wal_1', draft);
    saveAddRuleDraft('usr_b', 'wal_2', draft);
    sessionStorage.setItem('other', 'kept');
    clearAllAddRuleDrafts();
    expect(Object.keys(sessionStorage)).toEqual(['other']);
  });

  it('ignores what is not a draft', () => {
    sessionStorage.setItem('masspay-console:add-rule-draft:usr_a/wal_1', '{"staff":"editor@example.com"}');
    expect(readAddRuleDraft('usr_a', 'wal_1', 'editor@example.com')).toBeUndefined();
    sessionStorage.setItem('masspay-console:add-rule-draft:usr_a/wal_1', 'not json');
    expect(readAddRuleDraft('usr_a', 'wal_1', 'editor@example.com')).toBeUndefined();
  });
});
