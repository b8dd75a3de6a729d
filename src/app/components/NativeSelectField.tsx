import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import NativeSelect, { type NativeSelectProps } from '@mui/material/NativeSelect';
import OutlinedInput from '@mui/material/OutlinedInput';
import { useId, type ReactNode, type Ref } from 'react';
import type { FieldFrameProps } from './OutlinedTextField';

export type NativeSelectFieldProps = FieldFrameProps &
  Pick<NativeSelectProps, 'value' | 'onChange' | 'onBlur' | 'name'> & {
    ref?: Ref<HTMLSelectElement>;
    /** The `<option>`s. */
    children: ReactNode;
  };

/**
 * An outlined native `<select>` with its label always raised: the browser's own list, keyboard and
 * screen-reader behaviour, without the Select/Menu/Popover code TextField's `select` brings
 * (see OutlinedTextField).
 */
export const NativeSelectField = ({
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
  ref,
  children,
  ...select
}: NativeSelectFieldProps) => {
  const reactId = useId();
  const id = idOverride ?? reactId;
  const helperTextId = helperText ? `${id}-helper-text` : undefined;
  return (
    <FormControl variant="outlined" error={error} required={required} disabled={disabled} fullWidth={fullWidth} size={size} margin={margin} sx={sx}>
      <InputLabel htmlFor={id} id={`${id}-label`} shrink>
        {label}
      </InputLabel>
      <NativeSelect {...select} id={id} inputRef={ref} aria-describedby={helperTextId} input={<OutlinedInput label={label} notched />}>
        {children}
      </NativeSelect>
      {helperText && <FormHelperText id={helperTextId}>{helperText}</FormHelperText>}
    </FormControl>
  );
};
