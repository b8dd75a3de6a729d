import type { ReactNode } from 'react';
import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';
import { OutlinedTextField, type OutlinedTextFieldProps } from './OutlinedTextField';

/** `T`: the form's values as typed; `Out`: as its resolver hands them to the submit handler. */
export type FormTextFieldProps<T extends FieldValues, Out = T> = Omit<
  OutlinedTextFieldProps,
  'name' | 'value' | 'onChange' | 'onBlur' | 'error' | 'helperText' | 'ref' | 'inputRef'
> & {
  control: Control<T, unknown, Out>;
  name: Path<T>;
  /** The line under the field while it has no error to show. */
  helperText?: ReactNode;
  /** After the form has seen the field left, with what it holds then. */
  onBlur?: (value: unknown) => void;
};

/**
 * A text field of a react-hook-form form: its value, its error in place of the helper text, and its
 * input as the field's ref, so that a refused submit focuses it.
 */
export const FormTextField = <T extends FieldValues, Out = T>({ control, name, helperText, onBlur, ...props }: FormTextFieldProps<T, Out>) => (
  <Controller
    name={name}
    control={control}
    render={({ field, fieldState }) => (
      <OutlinedTextField
        {...props}
        name={field.name}
        value={field.value}
        inputRef={field.ref}
        onChange={field.onChange}
        onBlur={() => {
          field.onBlur();
          onBlur?.(field.value);
        }}
        error={Boolean(fieldState.error)}
        helperText={fieldState.error?.message ?? helperText}
      />
    )}
  />
);
