import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { OutlinedTextField } from '../../../components/OutlinedTextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { BrowserWallet } from '../../../../api';
import { formatMoney, formatPercent } from '../../../lib/format';
import { DestinationName } from '../../catalog/components/DestinationName';
import { useAutopayRules } from '../api/get-autopay-rules';
import { parseAmountCents, simulateLoad } from '../simulate-load';

export interface SimulateLoadProps {
  userToken: string;
  wallet: Pick<BrowserWallet, 'token' | 'currency_code'>;
}

/**
 * "What would a load of X do?": the wallet's current rules applied to an amount typed here, the way
 * MassPay applies them (each share rounded down to the cent, the rest stays), so the parts always
 * add up to the amount. Nothing is sent: it is arithmetic on the rules already loaded.
 */
const SimulateLoad = ({ userToken, wallet }: SimulateLoadProps) => {
  const rules = useAutopayRules(userToken, wallet.token);
  const [text, setText] = useState('');
  const parsed = parseAmountCents(text);
  const money = (cents: number) => formatMoney(cents / 100, wallet.currency_code);
  const error = parsed.ok ? undefined : parsed.error;

  let result: React.ReactNode = null;
  if (!rules.data) {
    result = rules.isError ? (
      <Typography color="text.secondary">The autopay rules could not be loaded, so there is nothing to simulate.</Typography>
    ) : (
      <Skeleton variant="rounded" height={96} role="progressbar" aria-label="Loading autopay rules" />
    );
  } else if (parsed.ok) {
    const split = simulateLoad(parsed.cents, rules.data);
    result = (
      <>
        <TableContainer component={Paper} variant="outlined">
          <Table aria-label="Simulated split" size="small">
            <TableHead>
              <TableRow>
                <TableCell>Destination</TableCell>
                <TableCell align="right">Percentage</TableCell>
                <TableCell align="right">Amount</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {split.shares.map((share) => (
                <TableRow key={share.token}>
                  <TableCell component="th" scope="row">
                    <DestinationName token={share.destinationToken} />
                  </TableCell>
                  <TableCell align="right">{formatPercent(share.basisPoints / 100)}</TableCell>
                  <TableCell align="right">{money(share.cents)}</TableCell>
                </TableRow>
              ))}
              <TableRow>
                <TableCell component="th" scope="row" sx={{ fontWeight: 600 }}>
                  Stays in the wallet
                </TableCell>
                <TableCell align="right">{formatPercent(split.remainderBasisPoints / 100)}</TableCell>
                <TableCell align="right" sx={{ fontWeight: 600 }}>
                  {money(split.remainderCents)}
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </TableContainer>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Together {money(parsed.cents)}. Each share is rounded down to the cent, as MassPay does; the cents left over stay in the wallet.
        </Typography>
      </>
    );
  }

  return (
    <>
      <OutlinedTextField
        label="Amount"
        size="small"
        value={text}
        onChange={(event) => setText(event.target.value)}
        error={Boolean(error)}
        helperText={error ?? `A load in ${wallet.currency_code}, e.g. 100.00`}
        autoComplete="off"
        slotProps={{ htmlInput: { inputMode: 'decimal' } }}
        sx={{ mb: 2, maxWidth: 260 }}
      />
      {result}
    </>
  );
};

export default SimulateLoad;
