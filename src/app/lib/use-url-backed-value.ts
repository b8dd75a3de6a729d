import { useState } from 'react';

/**
 * A control whose value lives in the URL, shown changed at once: react-router renders a navigation in a
 * transition, and until it commits a controlled `<select>` snaps back to the old value — a second
 * arrow key pressed meanwhile would start from there. A new value in the URL (back, a link) wins.
 */
export const useUrlBackedValue = (urlValue: string) => {
  const [shown, setShown] = useState({ url: urlValue, value: urlValue });
  // The URL moved on: adjust during render (React's pattern for state that follows a prop).
  if (shown.url !== urlValue) setShown({ url: urlValue, value: urlValue });
  const value = shown.url === urlValue ? shown.value : urlValue;
  return [value, (next: string) => setShown({ url: urlValue, value: next })] as const;
};
