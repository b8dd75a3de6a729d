import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditChainStatus as ChainStatus } from '../../../../api';
import { renderApp } from '../../../../../test/app/render';
import { AuditChainStatus } from './AuditChainStatus';

// The chain's check as the server answers it (`GET /api/audit`'s `chain`, src/api/schemas/audit.ts);
// the page against the real console, a tampered log included, is in pages/AuditPage.test.tsx.

const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CHECKED_AT = '2026-03-01T10:15:30.000Z';

const renderChain = (chain: ChainStatus) => renderApp(<AuditChainStatus chain={chain} />);
const status = () => screen.getAllByRole('status').find((region) => region.textContent?.startsWith('Audit chain'));

describe('AuditChainStatus', () => {
  it('verified: a status line with the number of entries checked, and the newest entry to note', async () => {
    renderChain({ verified: true, checkedEntries: 1234, checkedAt: CHECKED_AT, headId: '1234', headHash: HASH });
    expect(status()).toHaveTextContent(/^Audit chain verified: 1,234 entries\. Last checked .*2026.*\.$/);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText(/^Newest entry and its hash:/)).toHaveTextContent('Newest entry and its hash: 1234:e3b…b855');
    expect(await screen.findByRole('button', { name: 'Copy chain head token' })).toBeInTheDocument();
  });

  it('verified with one entry, or none: the count in words, no head without entries', () => {
    const { unmount } = renderChain({ verified: true, checkedEntries: 1, checkedAt: CHECKED_AT, headId: '1', headHash: HASH });
    expect(status()).toHaveTextContent(/^Audit chain verified: 1 entry\./);
    unmount();
    renderChain({ verified: true, checkedEntries: 0, checkedAt: CHECKED_AT });
    expect(status()).toHaveTextContent(/^Audit chain verified: 0 entries\./);
    expect(screen.queryByText(/Newest entry/)).not.toBeInTheDocument();
  });

  it('broken: an alert that names the entry where the log was tampered with, and what was found', () => {
    renderChain({
      verified: false,
      checkedEntries: 20,
      brokenAt: '7',
      detail: 'Entry 7 does not match the chain: it was changed, or an entry before it was removed, changed or added out of turn.',
      checkedAt: CHECKED_AT,
      headId: '20',
      headHash: HASH,
    });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/^The audit log was tampered with at entry 7/);
    expect(alert).toHaveTextContent('Entry 7 does not match the chain: it was changed');
    expect(alert).toHaveTextContent(/Checked 20 entries at .*2026/);
    expect(alert).toHaveTextContent('tell whoever runs the console');
    expect(status()).toBeUndefined();
    expect(screen.queryByText(/Audit chain verified|Newest entry/)).not.toBeInTheDocument();
  });

  it('broken without details: still says it was tampered with, in plain words', () => {
    renderChain({ verified: false, checkedEntries: 3, checkedAt: CHECKED_AT });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/^The audit log was tampered withAn entry was changed, removed or added outside the console\./);
  });
});
