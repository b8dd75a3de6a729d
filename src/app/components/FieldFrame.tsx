import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import type { SxProps, Theme } from '@mui/material/styles';
import { useId, type ReactNode } from 'react';

/** What the console's fields set on the parts TextField would build; the names are TextField's, so a call site reads the same. */
export interface FieldFrameProps {
  id?: string;
  label: ReactNode;
  helperText?: ReactNode;
  error?: boolean;
  required?: boolean;
  disabled?: boolean;
  fullWidth?: boolean;
  size?: 'small' | 'medium';
  margin?: 'none' | 'dense' | 'normal';
  sx?: SxProps<Theme>;
}

/** The ids the control inside a frame carries: its own (the label's `for`), and its description's. */
export interface FieldIds {
  id: string;
  helperTextId: string | undefined;
}

/**
 * An outlined field's frame, wired as MUI's TextField wires it: a FormControl with the label for the
 * control and the helper text as its description. TextField itself imports Select, and with it Menu,
 * Popover and Modal: ~15 KiB gzip on every page with a textbox, before its heading shows (issue 17
 * item 5). `label` options: `shrink` keeps it raised, `required: false` keeps the asterisk off.
 */
export const FieldFrame = ({
  id: idOverride,
  label,
  helperText,
  labelOptions,
  children,
  ...control
}: FieldFrameProps & { labelOptions?: { shrink?: boolean; required?: boolean }; children: (ids: FieldIds) => ReactNode }) => {
  const reactId = useId();
  const id = idOverride ?? reactId;
  const helperTextId = helperText ? `${id}-helper-text` : undefined;
  return (
    <FormControl variant="outlined" {...control}>
      <InputLabel htmlFor={id} id={`${id}-label`} shrink={labelOptions?.shrink} required={labelOptions?.required}>
        {label}
      </InputLabel>
      {children({ id, helperTextId })}
      {helperText && <FormHelperText id={helperTextId}>{helperText}</FormHelperText>}
    </FormControl>
  );
};
