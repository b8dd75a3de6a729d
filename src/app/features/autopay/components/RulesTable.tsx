import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useEffect, useRef } from 'react';
import { LazyTooltip as Tooltip } from '../../../components/LazyTooltip';
import type { AutopayRule } from '../../../../api';
import { DeleteIcon, EditIcon } from '../../../components/action-icons';
import { TokenText } from '../../../components/TokenText';
import { visuallyHidden } from '../../../components/visually-hidden';
import { formatPercent } from '../../../lib/format';
import { DestinationName } from '../../catalog/components/DestinationName';
import { useDestinationLabel } from '../../catalog/use-destination-label';

type RuleAction = (rule: AutopayRule, destinationLabel: string) => void;

export interface RuleRowProps {
  rule: AutopayRule;
  onEdit?: RuleAction;
  onDelete?: RuleAction;
  /** Put the focus on this row's Edit button once it is there (the row of a rule that replaced the one edited). */
  focusEdit?: boolean;
}

const RuleRow = ({ rule, onEdit, onDelete, focusEdit }: RuleRowProps) => {
  const label = useDestinationLabel(rule.destination_token);
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusEdit) editButton.current?.focus();
  }, [focusEdit]);
  return (
    <TableRow hover>
      <TableCell>
        <DestinationName token={rule.destination_token} />
      </TableCell>
      <TableCell align="right">{formatPercent(rule.percentage)}</TableCell>
      <TableCell>
        <TokenText token={rule.token} label="Rule" />
      </TableCell>
      {(onEdit || onDelete) && (
        <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
          {onEdit && (
            <Tooltip title="Change percentage">
              <IconButton ref={editButton} aria-label={`Edit rule ${label}`} onClick={() => onEdit(rule, label)}>
                <EditIcon />
              </IconButton>
            </Tooltip>
          )}
          {onDelete && (
            <Tooltip title="Delete rule">
              <IconButton aria-label={`Delete rule ${label}`} onClick={() => onDelete(rule, label)}>
                <DeleteIcon />
              </IconButton>
            </Tooltip>
          )}
        </TableCell>
      )}
    </TableRow>
  );
};

export interface RulesTableProps {
  rules: AutopayRule[];
  onEdit?: RuleAction;
  onDelete?: RuleAction;
  /** The rule whose Edit button takes the focus (after a change replaced the rule edited). */
  focusEditOf?: string;
}

/** A wallet's autopay rules: where each share goes, how much, and the rule's token; Edit and Delete for those who may. */
export const RulesTable = ({ rules, onEdit, onDelete, focusEditOf }: RulesTableProps) => (
  <TableContainer component={Paper} variant="outlined">
    <Table aria-label="Autopay rules" size="small">
      <TableHead>
        <TableRow>
          <TableCell>Destination</TableCell>
          <TableCell align="right">Percentage</TableCell>
          <TableCell>Rule token</TableCell>
          {(onEdit || onDelete) && (
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
          <RuleRow key={rule.token} rule={rule} onEdit={onEdit} onDelete={onDelete} focusEdit={rule.token === focusEditOf} />
        ))}
      </TableBody>
    </Table>
  </TableContainer>
);
