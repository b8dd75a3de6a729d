import { shortToken } from '../../lib/format';
import { useService } from './api/get-service';

/** The plain-text name of a destination, for accessible names and messages; the short token until it resolves. */
export const useDestinationLabel = (token: string): string => {
  const { data } = useService(token);
  return data?.label ?? `destination ${shortToken(token)}`;
};
