import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import { useForm } from 'react-hook-form';
import { emailFormSchema, type EmailFormOutput, type EmailFormValues } from '../lookup-form-schemas';
import { useSubmittedLookup } from '../use-submitted-lookup';
import { LookupField } from './LookupField';
import { LookupResult } from './LookupResult';
import { LookupForm } from './LookupForm';
import { LookupSection } from './LookupSection';

/** Email and first name together, as MassPay asks; neither alone finds anyone. */
export const FindByEmailForm = () => {
  const { query, submit } = useSubmittedLookup();
  const { control, trigger, handleSubmit } = useForm<EmailFormValues, unknown, EmailFormOutput>({
    resolver: zodResolver(emailFormSchema),
    defaultValues: { email: '', first_name: '' },
  });
  return (
    <LookupSection title="By email and first name">
      <LookupForm onSubmit={(e) => void handleSubmit(({ email, first_name }) => submit({ email, first_name }))(e)}>
        <LookupField control={control} trigger={trigger} name="email" label="Email" type="email" required sx={{ flex: 3, width: '100%' }} />
        <LookupField control={control} trigger={trigger} name="first_name" label="First name" required sx={{ flex: 2, width: '100%' }} />
        <Button type="submit" variant="contained" loading={query.isFetching} sx={{ mt: { sm: 1 }, flexShrink: 0 }}>
          Find by email
        </Button>
      </LookupForm>
      <LookupResult lookup={query} noMatchHint="No user has this email and first name. Check both, or try the internal user ID." />
    </LookupSection>
  );
};
