import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput, { type OutlinedInputProps } from '@mui/material/OutlinedInput';
import type { SxProps, Theme } from '@mui/material/styles';
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

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

export type OutlinedTextFieldProps = FieldFrameProps &
  Pick<OutlinedInputProps, 'value' | 'onChange' | 'onBlur' | 'name' | 'type' | 'autoFocus' | 'autoComplete' | 'multiline' | 'minRows' | 'placeholder'> & {
    /** The input element: react-hook-form's `field.ref` lands here, so a refused submit focuses the field. */
    ref?: Ref<HTMLInputElement>;
    inputRef?: Ref<HTMLInputElement>;
    slotProps?: {
      htmlInput?: InputHTMLAttributes<HTMLInputElement | HTMLTextAreaElement> & Record<`data-${string}`, string>;
      /** `required: false` keeps the asterisk off a label whose field is plainly needed (sign-in). */
      inputLabel?: { shrink?: boolean; required?: boolean };
      input?: { endAdornment?: ReactNode };
    };
  };

/**
 * An outlined text field from MUI's parts (FormControl, InputLabel, OutlinedInput, FormHelperText),
 * wired as TextField wires them — label for the input, helper text in its description. TextField
 * itself imports Select, and with it Menu, Popover and Modal: ~15 KiB gzip on every page with a
 * textbox, before its heading shows (issue 17 item 5).
 */
export const OutlinedTextField = ({
  id: idOverride,
  label,
  helperText,
  error,
  required,
  disabled,
  fullWidth,
  size,
  margin,
  sx,
  slotProps,
  ref,
  inputRef,
  ...input
}: OutlinedTextFieldProps) => {
  const reactId = useId();
  const id = idOverride ?? reactId;
  const helperTextId = helperText ? `${id}-helper-text` : undefined;
  const { shrink, required: labelRequired } = slotProps?.inputLabel ?? {};
  return (
    <FormControl variant="outlined" error={error} required={required} disabled={disabled} fullWidth={fullWidth} size={size} margin={margin} sx={sx}>
      <InputLabel htmlFor={id} id={`${id}-label`} shrink={shrink} required={labelRequired}>
        {label}
      </InputLabel>
      <OutlinedInput
        {...input}
        id={id}
        label={label}
        notched={shrink}
        aria-describedby={helperTextId}
        inputRef={inputRef ?? ref}
        inputProps={slotProps?.htmlInput}
        endAdornment={slotProps?.input?.endAdornment}
      />
      {helperText && <FormHelperText id={helperTextId}>{helperText}</FormHelperText>}
    </FormControl>
  );
};
