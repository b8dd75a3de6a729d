import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import { useCountries } from '../../catalog/api/get-countries';
import { useCountryServices } from '../../catalog/api/get-country-services';

export interface DestinationPickerProps {
  walletToken: string;
  /** The wallet's currency: autopay never converts, so only services paying out in it are offered. */
  currency: string;
  /** The destination token the form holds now (shown as the picked service when it is one of the country's). */
  destinationToken: string;
  onPick: (destinationToken: string) => void;
}

/** Another way to a destination than pasting its token: a country, then one of its services that fit the wallet. */
export const DestinationPicker = ({ walletToken, currency, destinationToken, onPick }: DestinationPickerProps) => {
  const [country, setCountry] = useState('');
  const countries = useCountries();
  const services = useCountryServices(country || undefined, walletToken, currency);
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
      <TextField
        select
        label="Country"
        value={country}
        onChange={(e) => setCountry(e.target.value)}
        helperText="Or pick a destination"
        sx={{ flex: 1 }}
        disabled={!countries.data}
      >
        {(countries.data ?? []).map((c) => (
          <MenuItem key={c.three_letter_code} value={c.three_letter_code}>
            {c.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Service"
        value={services.data?.some((s) => s.destinationToken === destinationToken) ? destinationToken : ''}
        onChange={(e) => onPick(e.target.value)}
        disabled={!country || !services.data || services.data.length === 0}
        // A disabled field's helper text is greyed below readable contrast: say it only when it applies.
        helperText={!country ? undefined : services.data?.length === 0 ? `No ${currency} services in this country` : `Services paying out in ${currency}`}
        sx={{ flex: 2 }}
      >
        {(services.data ?? []).map((s) => (
          <MenuItem key={s.destinationToken} value={s.destinationToken}>
            {s.label}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
};
