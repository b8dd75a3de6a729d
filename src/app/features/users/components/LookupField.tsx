import type { FieldValues, UseFormTrigger } from 'react-hook-form';
import { FormTextField, type FormTextFieldProps } from '../../../components/FormTextField';

export type LookupFieldProps<T extends FieldValues, Out = T> = Omit<FormTextFieldProps<T, Out>, 'onBlur'> & { trigger: UseFormTrigger<T> };

/**
 * A lookup textbox whose error shows under it. Leaving a field with something in it checks it;
 * leaving it empty does not (tabbing past a form is no mistake), submitting does.
 */
export const LookupField = <T extends FieldValues, Out = T>({ trigger, name, slotProps, ...props }: LookupFieldProps<T, Out>) => (
  <FormTextField
    {...props}
    name={name}
    onBlur={(value) => {
      if (String(value ?? '').trim() !== '') void trigger(name);
    }}
    autoComplete="off"
    slotProps={{ ...slotProps, htmlInput: { spellCheck: false, ...slotProps?.htmlInput } }}
  />
);
