import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { can, type AutopayRule } from '../../api';
import { ErrorState } from '../components/LazyErrorState';
import { AddIcon } from '../components/action-icons';
import { NotFoundView } from '../components/NotFoundView';
import { PageBreadcrumbs } from '../components/PageBreadcrumbs';
import { PageTitle } from '../components/PageTitle';
import { readAddRuleDraft, type AddRuleDraft } from '../features/autopay/add-rule-draft';
import { allocationOf } from '../features/autopay/allocation';
import { useAutopayRules } from '../features/autopay/api/get-autopay-rules';
import { AllocationSummary } from '../features/autopay/components/AllocationSummary';
import { RulesTable } from '../features/autopay/components/RulesTable';
import { useSession } from '../features/session/api/get-session';
import { useUser } from '../features/users/api/get-user';
import { fullName } from '../features/users/components/UserHeader';
import { useWallets } from '../features/wallets/api/get-wallets';
import { WalletSummary } from '../features/wallets/components/WalletSummary';
import { walletLabel } from '../features/wallets/wallet-label';
import { isApiError, isNotFound } from '../lib/api-error';
import { usePageFailure } from '../lib/use-page-failure';

// The dialogs load on first use: most visits only look.
const AddRuleDialog = lazy(() => import('../features/autopay/components/AddRuleDialog'));
const DeleteRuleDialog = lazy(() => import('../features/autopay/components/DeleteRuleDialog'));
const ChangePercentageDialog = lazy(() => import('../features/autopay/components/ChangePercentageDialog'));
// The card, the simulation and the history load apart from the page, as one chunk: the wallet's
// summary and rules show without waiting for their code (the table, the form fields, the schemas).
const sections = () => import('../features/wallets/wallet-sections-chunk');
const CardPanel = lazy(() => sections().then((m) => ({ default: m.CardPanel })));
const SimulateLoad = lazy(() => sections().then((m) => ({ default: m.SimulateLoad })));
const TransactionsSection = lazy(() => sections().then((m) => ({ default: m.TransactionsSection })));
// Issue 14: the wallet's change history and the changes to it that wait for approval.
const ChangeHistory = lazy(() => import('../features/history/components/ChangeHistory'));
const WalletChangeRequests = lazy(() => import('../features/approvals/components/WalletChangeRequests'));

/** A titled part of the page; its body comes when its code has loaded. */
const Section = ({ id, title, fallback, children }: { id: string; title: string; fallback: React.ReactNode; children: React.ReactNode }) => (
  <Box component="section" aria-labelledby={id} sx={{ mt: 4 }}>
    <Typography id={id} variant="h5" component="h2" sx={{ mb: 1.5 }}>
      {title}
    </Typography>
    <Suspense fallback={fallback}>{children}</Suspense>
  </Box>
);

/** `/users/:userToken/wallets/:walletToken`: one wallet, its allocation and its autopay rules. */
export const WalletPage = () => {
  const { userToken, walletToken } = useParams() as { userToken: string; walletToken: string };
  const user = useUser(userToken);
  const wallets = useWallets(userToken);
  const rules = useAutopayRules(userToken, walletToken);
  const failure = usePageFailure([user, wallets, rules]);
  const staff = useSession().data;
  const canChange = staff ? can(staff.role, 'changeRules') : false;
  // Back from signing in again after the session expired during an add: the dialog reopens as it was.
  const [draft, setDraft] = useState<AddRuleDraft | undefined>(() => (staff && canChange ? readAddRuleDraft(userToken, walletToken, staff.email) : undefined));
  const [adding, setAdding] = useState(draft !== undefined);
  const [deleting, setDeleting] = useState<{ rule: AutopayRule; label: string }>();
  const [editing, setEditing] = useState<{ rule: AutopayRule; label: string }>();
  // After a change the edited rule's row is a new one (a new token): its Edit button takes the focus.
  const [focusEditOf, setFocusEditOf] = useState<string>();
  const addButton = useRef<HTMLButtonElement>(null);

  const wallet = wallets.data?.find((w) => w.token === walletToken);
  if (isNotFound(wallets.error) || (wallets.data && !wallet) || (isApiError(rules.error) && rules.error.status === 404 && !wallets.isPending && !wallet)) {
    return <NotFoundView title="Wallet not found">This user has no wallet with the token {walletToken}.</NotFoundView>;
  }

  const name = user.data ? fullName(user.data) : 'User';
  const title = wallet ? walletLabel(wallet) : 'Wallet';
  const allocation = rules.data ? allocationOf(rules.data) : undefined;

  return (
    <>
      <PageTitle title={`${title} · ${name}`} />
      <PageBreadcrumbs items={[{ label: 'Users', to: '/' }, { label: name, to: `/users/${userToken}` }, { label: title }]} />
      <Typography variant="h4" component="h1" sx={{ mb: 2 }}>
        {wallet || wallets.isError ? title : <Skeleton width={260} role="progressbar" aria-label="Loading wallet" />}
      </Typography>
      {failure.error !== undefined && <ErrorState error={failure.error} title="Could not load this wallet" onRetry={failure.retry} />}
      {wallets.isError ? null : wallet ? <WalletSummary wallet={wallet} /> : <Skeleton variant="rounded" height={96} sx={{ mb: 2 }} />}

      {wallet?.type === 'MASSPAY_CARD' && (
        <Section id="card-heading" title="Card" fallback={<Skeleton variant="rounded" height={72} role="progressbar" aria-label="Loading card" />}>
          <CardPanel userToken={userToken} wallet={wallet} />
        </Section>
      )}

      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mt: 3 }}>
        <Typography variant="h5" component="h2">
          Autopay rules
        </Typography>
        {canChange && (
          <Button
            ref={addButton}
            variant="contained"
            startIcon={<AddIcon />}
            onClick={() => setAdding(true)}
            disabled={!wallet?.active || !rules.data}
            aria-describedby={wallet && !wallet.active ? 'inactive-wallet-note' : undefined}
          >
            Add rule
          </Button>
        )}
      </Stack>
      {staff && !canChange && (
        <Typography color="text.secondary" sx={{ mt: 1 }}>
          You can view these rules. Changing them needs the editor role.
        </Typography>
      )}
      {canChange && wallet && !wallet.active && (
        <Typography id="inactive-wallet-note" color="text.secondary" sx={{ mt: 1 }}>
          This wallet is inactive: no new rules can be added to it.
        </Typography>
      )}
      {allocation && <AllocationSummary allocation={allocation} />}
      {rules.data ? (
        rules.data.length > 0 ? (
          <RulesTable
            rules={rules.data}
            onEdit={canChange ? (rule, label) => setEditing({ rule, label }) : undefined}
            onDelete={canChange ? (rule, label) => setDeleting({ rule, label }) : undefined}
            focusEditOf={focusEditOf}
          />
        ) : (
          <Paper variant="outlined" sx={{ p: 3 }}>
            <Typography>No autopay rules</Typography>
            <Typography color="text.secondary">
              Every load stays in this wallet. {wallet?.active && canChange ? 'Add a rule to send a share of each load to a destination.' : ''}
            </Typography>
          </Paper>
        )
      ) : rules.isError ? (
        <Typography color="text.secondary">The autopay rules could not be loaded.</Typography>
      ) : (
        <Paper variant="outlined" sx={{ p: 2 }} aria-busy="true" role="progressbar" aria-label="Loading autopay rules">
          <Skeleton height={36} />
          <Skeleton height={36} />
        </Paper>
      )}

      <Suspense fallback={null}>
        <WalletChangeRequests walletToken={walletToken} />
      </Suspense>

      {wallet && (
        <>
          <Section id="simulate-heading" title="Simulate a load" fallback={<Skeleton variant="rounded" height={40} sx={{ maxWidth: 260 }} />}>
            <SimulateLoad userToken={userToken} wallet={wallet} />
          </Section>
          <Section
            id="transactions-heading"
            title="Transactions"
            fallback={<Skeleton variant="rounded" height={160} role="progressbar" aria-label="Loading transactions" />}
          >
            <TransactionsSection userToken={userToken} walletToken={walletToken} />
          </Section>
        </>
      )}
      <Section
        id="change-history-heading"
        title="Change history"
        fallback={<Skeleton variant="rounded" height={120} role="progressbar" aria-label="Loading change history" />}
      >
        <ChangeHistory userToken={userToken} walletToken={walletToken} />
      </Section>

      <Suspense fallback={null}>
        {adding && wallet && rules.data && (
          <AddRuleDialog
            userToken={userToken}
            wallet={wallet}
            rules={rules.data}
            staffEmail={staff?.email}
            draft={draft}
            onClose={() => {
              setAdding(false);
              setDraft(undefined);
            }}
          />
        )}
        {deleting && (
          <DeleteRuleDialog
            userToken={userToken}
            walletToken={walletToken}
            rule={deleting.rule}
            rules={rules.data}
            destinationLabel={deleting.label}
            onClose={(deleted) => {
              setDeleting(undefined);
              // The row that opened the dialog is gone: put focus somewhere that still exists.
              if (deleted) requestAnimationFrame(() => addButton.current?.focus());
            }}
          />
        )}
        {editing && rules.data && (
          <ChangePercentageDialog
            userToken={userToken}
            walletToken={walletToken}
            rule={editing.rule}
            rules={rules.data}
            destinationLabel={editing.label}
            onClose={(result) => {
              setEditing(undefined);
              // The row that opened the dialog was replaced: the new rule's Edit button takes the focus.
              setFocusEditOf(result?.rule.token);
            }}
          />
        )}
      </Suspense>
    </>
  );
};

export default WalletPage;
