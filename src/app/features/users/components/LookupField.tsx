import { OutlinedTextField, type OutlinedTextFieldProps } from '../../../components/OutlinedTextField';
import { Controller, type Control, type FieldValues, type Path, type UseFormTrigger } from 'react-hook-form';

export type LookupFieldProps<T extends FieldValues> = Omit<OutlinedTextFieldProps, 'name' | 'value' | 'onChange' | 'onBlur' | 'error' | 'helperText'> & {
  control: Control<T>;
  trigger: UseFormTrigger<T>;
  name: Path<T>;
  helperText?: string;
};

/**
 * A lookup textbox whose error shows under it. Leaving a field with something in it checks it;
 * leaving it empty does not (tabbing past a form is no mistake), submitting does.
 */
export const LookupField = <T extends FieldValues>({ control, trigger, name, helperText, ...props }: LookupFieldProps<T>) => (
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
          if (String(field.value ?? '').trim() !== '') void trigger(name);
        }}
        error={Boolean(fieldState.error)}
        helperText={fieldState.error?.message ?? helperText}
        autoComplete="off"
        slotProps={{ ...props.slotProps, htmlInput: { spellCheck: false, ...props.slotProps?.htmlInput } }}
      />
    )}
  />
);
