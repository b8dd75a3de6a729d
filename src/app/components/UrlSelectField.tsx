import { useUrlBackedValue } from '../lib/use-url-backed-value';
import { NativeSelectField, type NativeSelectFieldProps } from './NativeSelectField';

export type UrlSelectFieldProps = Omit<NativeSelectFieldProps, 'value' | 'onChange'> & {
  /** The value the URL holds now. */
  value: string;
  /** Puts the picked value into the URL. */
  onPick: (value: string) => void;
};

/** A filter or page-size select kept in the URL, showing a pick at once (see useUrlBackedValue). */
export const UrlSelectField = ({ value, onPick, ...props }: UrlSelectFieldProps) => {
  const [shown, show] = useUrlBackedValue(value);
  return (
    <NativeSelectField
      {...props}
      value={shown}
      onChange={(event) => {
        show(event.target.value);
        onPick(event.target.value);
      }}
    />
  );
};
