import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { LazyTooltip as Tooltip } from '../../../components/LazyTooltip';
import type { AutopayRule } from '../../../../api';
import { DeleteIcon } from '../../../components/action-icons';
import { TokenText } from '../../../components/TokenText';
import { visuallyHidden } from '../../../components/visually-hidden';
import { formatPercent } from '../../../lib/format';
import { DestinationName } from '../../catalog/components/DestinationName';
import { useDestinationLabel } from '../../catalog/use-destination-label';

export interface RuleRowProps {
  rule: AutopayRule;
  onDelete?: (rule: AutopayRule, destinationLabel: string) => void;
}

const RuleRow = ({ rule, onDelete }: RuleRowProps) => {
  const label = useDestinationLabel(rule.destination_token);
  return (
    <TableRow hover>
      <TableCell>
        <DestinationName token={rule.destination_token} />
      </TableCell>
      <TableCell align="right">{formatPercent(rule.percentage)}</TableCell>
      <TableCell>
        <TokenText token={rule.token} label="Rule" />
      </TableCell>
      {onDelete && (
        <TableCell align="right">
          <Tooltip title="Delete rule">
            <IconButton aria-label={`Delete rule ${label}`} onClick={() => onDelete(rule, label)}>
              <DeleteIcon />
            </IconButton>
          </Tooltip>
        </TableCell>
      )}
    </TableRow>
  );
};

/** A wallet's autopay rules: where each share goes, how much, and the rule's token. */
export const RulesTable = ({ rules, onDelete }: { rules: AutopayRule[]; onDelete?: RuleRowProps['onDelete'] }) => (
  <TableContainer component={Paper} variant="outlined">
    <Table aria-label="Autopay rules" size="small">
      <TableHead>
        <TableRow>
          <TableCell>Destination</TableCell>
          <TableCell align="right">Percentage</TableCell>
          <TableCell>Rule token</TableCell>
          {onDelete && (
            <TableCell align="right" sx={{ position: 'relative' /* keeps the hidden label inside the scroll box on narrow screens */ }}>
              <Box component="span" sx={visuallyHidden}>
                Actions
              </Box>
            </TableCell>
          )}
        </TableRow>
      </TableHead>
      <TableBody>
        {rules.map((rule) => (
          <RuleRow key={rule.token} rule={rule} onDelete={onDelete} />
        ))}
      </TableBody>
    </Table>
  </TableContainer>
);
