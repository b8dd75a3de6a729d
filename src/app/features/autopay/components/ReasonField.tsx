import { OutlinedTextField, type OutlinedTextFieldProps } from '../../../components/OutlinedTextField';
import type { ChangeReasonMode } from '../../../../api';
import { reasonHelperText } from '../change-reason';

export type ReasonFieldProps = Omit<OutlinedTextFieldProps, 'label' | 'error' | 'required' | 'value'> & {
  mode: ChangeReasonMode;
  value: string;
  /** The message to show under the field instead of its help. */
  error?: string;
};

/**
 * The textbox `Reason` of the add, edit and delete dialogs: why, or a ticket reference, optional or
 * required as the console's settings say. It goes to the server as `X-Change-Reason` and into the
 * audit log.
 */
export const ReasonField = ({ mode, value, error, ...props }: ReasonFieldProps) => (
  <OutlinedTextField
    {...props}
    value={value}
    label="Reason"
    required={mode === 'required'}
    autoComplete="off"
    error={Boolean(error)}
    helperText={error ?? reasonHelperText(mode, value.length)}
  />
);
