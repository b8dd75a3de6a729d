import OutlinedInput, { type OutlinedInputProps } from '@mui/material/OutlinedInput';
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { FieldFrame, type FieldFrameProps } from './FieldFrame';

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

/** An outlined text field from MUI's parts (see FieldFrame), with TextField's props where the console uses them. */
export const OutlinedTextField = ({
  slotProps,
  ref,
  inputRef,
  value,
  onChange,
  onBlur,
  name,
  type,
  autoFocus,
  autoComplete,
  multiline,
  minRows,
  placeholder,
  ...frame
}: OutlinedTextFieldProps) => (
  <FieldFrame {...frame} labelOptions={slotProps?.inputLabel}>
    {({ id, helperTextId }) => (
      <OutlinedInput
        {...{ value, onChange, onBlur, name, type, autoFocus, autoComplete, multiline, minRows, placeholder }}
        id={id}
        label={frame.label}
        notched={slotProps?.inputLabel?.shrink}
        aria-describedby={helperTextId}
        inputRef={inputRef ?? ref}
        inputProps={slotProps?.htmlInput}
        endAdornment={slotProps?.input?.endAdornment}
      />
    )}
  </FieldFrame>
);
