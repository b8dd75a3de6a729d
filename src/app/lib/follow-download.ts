/** Lets the browser download `href` itself: the file streams to disk, never held in memory. */
export const followDownload = (href: string) => {
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = '';
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
};
