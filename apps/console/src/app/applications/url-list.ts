/** A list of URLs as typed in a text area: one per line or separated by commas, blanks dropped. */
export function parseUrlList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A list of URLs for a text area: one per line. */
export function formatUrlList(urls: readonly string[] | undefined): string {
  return (urls ?? []).join('\n');
}
