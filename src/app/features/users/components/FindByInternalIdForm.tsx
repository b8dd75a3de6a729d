import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import { useForm } from 'react-hook-form';
import { internalIdFormSchema, type InternalIdFormOutput, type InternalIdFormValues } from '../lookup-form-schemas';
import { useSubmittedLookup } from '../use-submitted-lookup';
import { LookupField } from './LookupField';
import { LookupResult } from './LookupResult';
import { LookupForm } from './LookupForm';
import { LookupSection } from './LookupSection';

/** The payor's own ID for the user (MassPay's `internal_user_id`). */
export const FindByInternalIdForm = () => {
  const { query, submit } = useSubmittedLookup();
  const { control, trigger, handleSubmit } = useForm<InternalIdFormValues, unknown, InternalIdFormOutput>({
    resolver: zodResolver(internalIdFormSchema),
    defaultValues: { internal_user_id: '' },
  });
  return (
    <LookupSection title="By internal user ID">
      <LookupForm onSubmit={(e) => void handleSubmit(({ internal_user_id }) => submit({ internal_user_id }))(e)}>
        <LookupField
          control={control}
          trigger={trigger}
          name="internal_user_id"
          label="Internal user ID"
          required
          helperText="Your own ID for the user, e.g. ext-1001"
          sx={{ flex: 1, width: '100%' }}
        />
        <Button type="submit" variant="contained" loading={query.isFetching} sx={{ mt: { sm: 1 }, flexShrink: 0 }}>
          Find by internal ID
        </Button>
      </LookupForm>
      <LookupResult lookup={query} noMatchHint="No user has this internal user ID. Check it, or try the email and first name." />
    </LookupSection>
  );
};
