import { describe, expect, it } from 'vitest';
import { lookupEmailSchema, lookupFirstNameSchema, lookupQuerySchema } from '../../../api';
import { emailFormSchema, internalIdFormSchema, tokenFormSchema } from './lookup-form-schemas';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => i.message);

describe('the lookup forms follow the contract', () => {
  // The form and the lookup route share the email and first-name schemas of src/api: the two must
  // accept and refuse the same values with the same messages.
  const emails = ['ada@example.com', ' ada@example.com', 'ada', 'ada@', 'a@b', `${'a'.repeat(250)}@example.com`, 'ada@example.com,grace@example.com'];
  it.each(emails)('email %j: same verdict and message as lookupQuerySchema', (email) => {
    const route = lookupQuerySchema.safeParse({ email, first_name: 'Ada' });
    expect(messages(lookupEmailSchema.safeParse(email))).toEqual(messages(route));
  });

  const names = ['Ada', 'Zoë', 'x'.repeat(100), 'x'.repeat(101)];
  it.each(names)('first name of %#: same verdict and message as lookupQuerySchema', (first_name) => {
    const route = lookupQuerySchema.safeParse({ email: 'ada@example.com', first_name });
    expect(messages(lookupFirstNameSchema.safeParse(first_name))).toEqual(messages(route));
  });
});

describe('lookup form schemas', () => {
  it('trims what was pasted', () => {
    expect(tokenFormSchema.parse({ user_token: '  usr_ba4275f2-bae1-488d-9d6f-20af1cd83574\n' })).toEqual({
      user_token: 'usr_ba4275f2-bae1-488d-9d6f-20af1cd83574',
    });
    expect(emailFormSchema.parse({ email: ' ada@example.com ', first_name: ' Ada ' })).toEqual({ email: 'ada@example.com', first_name: 'Ada' });
    expect(internalIdFormSchema.parse({ internal_user_id: ' ext-1001 ' })).toEqual({ internal_user_id: 'ext-1001' });
  });

  it('asks for what is missing, and says what is wrong with what is not', () => {
    expect(messages(tokenFormSchema.safeParse({ user_token: '  ' }))).toEqual(['Enter a user token']);
    expect(messages(tokenFormSchema.safeParse({ user_token: 'usr_nope' }))).toEqual(['User token is not a valid token']);
    expect(messages(emailFormSchema.safeParse({ email: '', first_name: '' }))).toEqual(['Enter an email address', 'Enter a first name']);
    expect(messages(emailFormSchema.safeParse({ email: 'ada', first_name: 'Ada' }))).toEqual(['Email is not a valid address']);
    expect(messages(internalIdFormSchema.safeParse({ internal_user_id: '' }))).toEqual(['Enter an internal user ID']);
    expect(messages(internalIdFormSchema.safeParse({ internal_user_id: 'ext 1001' }))).toEqual([
      'Internal user ID may hold letters, digits and + , - . / _ ~ | only',
    ]);
  });
});
