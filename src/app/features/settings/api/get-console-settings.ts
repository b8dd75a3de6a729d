import { queryOptions, useQuery } from '@tanstack/react-query';
import { CHANGE_ROUTES, consoleSettingsSchema, type ChangeReasonMode } from '../../../../api';
import { request } from '../../../lib/http';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

/** `GET /api/console/settings`: whether a change needs a reason, and the approval policy. Any role may read it. */
export const consoleSettingsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.consoleSettings(),
    queryFn: ({ signal }) => request(consoleSettingsSchema, CHANGE_ROUTES.settings, { signal }),
    staleTime: STALE.settings,
  });

export const useConsoleSettings = () => useQuery(consoleSettingsQueryOptions());

/**
 * Whether the change dialogs ask for a reason or require one. Until the settings are known (or when
 * they cannot be read) a reason is optional: the server still refuses a change without one when it
 * requires it, and that refusal lands under the Reason field.
 */
export const useChangeReasonMode = (): ChangeReasonMode => useConsoleSettings().data?.changeReason ?? 'optional';
