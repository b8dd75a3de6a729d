import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { NativeSelectField } from '../../../components/NativeSelectField';
import { FormTextField } from '../../../components/FormTextField';
import { useEffect } from 'react';
import { Controller, useForm, type Control } from 'react-hook-form';
import { auditFilterSchema, toFilterValues, type AuditFilterValues } from '../audit-filter-schema';
import type { AuditFilters } from '../audit-params';

export interface AuditFiltersFormProps {
  /** The filters in the URL now. */
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  onClear: () => void;
}

const ACTION_OPTIONS = [
  { value: '', label: 'Any action' },
  { value: 'add_rule', label: 'Add rule' },
  { value: 'delete_rule', label: 'Delete rule' },
  { value: 'edit_rule', label: 'Changed percentage' },
] as const;

const Field = ({
  control,
  name,
  ...props
}: {
  control: Control<AuditFilterValues, unknown, AuditFilters>;
  name: keyof AuditFilterValues;
  label: string;
  type?: string;
  monospace?: boolean;
}) => (
  <FormTextField
    control={control}
    name={name}
    label={props.label}
    type={props.type}
    size="small"
    autoComplete="off"
    slotProps={{ inputLabel: { shrink: true }, htmlInput: { spellCheck: false, ...(props.monospace ? { style: { fontFamily: 'monospace' } } : {}) } }}
    sx={{ minWidth: props.type === 'date' ? 160 : 220 }}
  />
);

/**
 * The audit log's filters: typed here, applied to the URL on submit (so reload and Back keep them),
 * and set back from the URL when it changes (Back, Clear filters).
 */
export const AuditFiltersForm = ({ filters, onApply, onClear }: AuditFiltersFormProps) => {
  const { control, handleSubmit, reset } = useForm<AuditFilterValues, unknown, AuditFilters>({
    resolver: zodResolver(auditFilterSchema),
    defaultValues: toFilterValues(filters),
  });
  const key = JSON.stringify(toFilterValues(filters));
  useEffect(() => {
    reset(JSON.parse(key) as AuditFilterValues);
  }, [key, reset]);

  return (
    <Stack
      component="form"
      aria-label="Audit log filters"
      noValidate
      onSubmit={(e) => void handleSubmit(onApply)(e)}
      direction="row"
      spacing={2}
      useFlexGap
      sx={{ flexWrap: 'wrap', alignItems: 'flex-start', mb: 2 }}
    >
      <Field control={control} name="user" label="User token" monospace />
      <Field control={control} name="wallet" label="Wallet token" monospace />
      <Field control={control} name="destination" label="Destination token" monospace />
      <Field control={control} name="rule" label="Rule token" monospace />
      <Field control={control} name="staff" label="Staff email" type="email" />
      <Controller
        name="action"
        control={control}
        render={({ field }) => (
          <NativeSelectField {...field} label="Action" size="small" sx={{ minWidth: 150 }}>
            {ACTION_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </NativeSelectField>
        )}
      />
      <Field control={control} name="from" label="From" type="date" />
      <Field control={control} name="to" label="To" type="date" />
      <Stack direction="row" spacing={1} sx={{ alignSelf: 'center' }}>
        <Button type="submit" variant="contained">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            reset(toFilterValues({}));
            onClear();
          }}
        >
          Clear filters
        </Button>
      </Stack>
    </Stack>
  );
};
