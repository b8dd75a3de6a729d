import Skeleton from '@mui/material/Skeleton';
import { shortToken } from '../../../lib/format';
import { useService } from '../api/get-service';

/** A destination token read as "payer · delivery type · country · currency" (#9, cached and shared). */
export const DestinationName = ({ token }: { token: string }) => {
  const { data, isPending, isError } = useService(token);
  if (isPending) return <Skeleton width={220} role="progressbar" aria-label="Loading destination" />;
  if (isError || !data) return <span title={token}>Destination {shortToken(token)} (name unavailable)</span>;
  return <span>{data.label}</span>;
};
