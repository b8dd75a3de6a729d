import { useState } from 'react';
import { useLookupUser, type UserLookup } from './api/lookup-user';

/** The lookup a form last submitted. Submitting the same values again asks MassPay again. */
export const useSubmittedLookup = () => {
  const [lookup, setLookup] = useState<UserLookup>();
  const query = useLookupUser(lookup);
  const submit = (next: UserLookup) => {
    if (lookup && JSON.stringify(lookup) === JSON.stringify(next)) void query.refetch();
    else setLookup(next);
  };
  return { query, submit };
};
