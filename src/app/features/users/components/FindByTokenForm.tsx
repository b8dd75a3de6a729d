import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { tokenFormSchema, type TokenFormOutput, type TokenFormValues } from '../lookup-form-schemas';
import { LookupField } from './LookupField';
import { LookupForm } from './LookupForm';
import { LookupSection } from './LookupSection';

/** A well-formed token opens the user's page at once (an unknown one lands on its not-found view). */
export const FindByTokenForm = () => {
  const navigate = useNavigate();
  const { control, trigger, handleSubmit } = useForm<TokenFormValues, unknown, TokenFormOutput>({
    resolver: zodResolver(tokenFormSchema),
    defaultValues: { user_token: '' },
  });
  const open = ({ user_token }: TokenFormOutput) => void navigate(`/users/${encodeURIComponent(user_token)}`);
  return (
    <LookupSection title="By user token">
      <LookupForm onSubmit={(e) => void handleSubmit(open)(e)}>
        <LookupField
          control={control}
          trigger={trigger}
          name="user_token"
          label="User token"
          required
          helperText="e.g. usr_ba4275f2-bae1-488d-9d6f-20af1cd83574"
          sx={{ flex: 1, width: '100%' }}
          slotProps={{ htmlInput: { style: { fontFamily: 'monospace' } } }}
        />
        <Button type="submit" variant="contained" sx={{ mt: { sm: 1 } }}>
          Open
        </Button>
      </LookupForm>
    </LookupSection>
  );
};
