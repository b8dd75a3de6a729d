import NativeSelect, { type NativeSelectProps } from '@mui/material/NativeSelect';
import OutlinedInput from '@mui/material/OutlinedInput';
import type { ReactNode, Ref } from 'react';
import { FieldFrame, type FieldFrameProps } from './FieldFrame';

export type NativeSelectFieldProps = FieldFrameProps &
  Pick<NativeSelectProps, 'value' | 'onChange' | 'onBlur' | 'name'> & {
    ref?: Ref<HTMLSelectElement>;
    /** The `<option>`s. */
    children: ReactNode;
  };

/**
 * An outlined native `<select>` with its label always raised: the browser's own list, keyboard and
 * screen-reader behaviour, without the Select/Menu/Popover code TextField's `select` brings.
 */
export const NativeSelectField = ({ ref, children, value, onChange, onBlur, name, ...frame }: NativeSelectFieldProps) => (
  <FieldFrame {...frame} labelOptions={{ shrink: true }}>
    {({ id, helperTextId }) => (
      <NativeSelect
        {...{ value, onChange, onBlur, name }}
        id={id}
        inputRef={ref}
        aria-describedby={helperTextId}
        input={<OutlinedInput label={frame.label} notched />}
      >
        {children}
      </NativeSelect>
    )}
  </FieldFrame>
);
