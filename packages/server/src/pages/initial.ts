/**
 * The first letter or digit of `name`, upper-cased, for letter avatars; "?" when there is none.
 * Punctuation is skipped so a name like `<Dragons>` still shows "D".
 */
export function initialOf(name: string): string {
  const first = name.match(/[\p{L}\p{N}]/u)?.[0];
  return first ? first.toLocaleUpperCase('en') : '?';
}
