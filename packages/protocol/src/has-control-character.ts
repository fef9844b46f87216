/** Unicode general category Cc: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). */
const CONTROL = /\p{Cc}/u;

/**
 * Whether `value` holds a control character: a C0 control (U+0000–U+001F: NUL, TAB, LF, CR and
 * the rest), DEL (U+007F) or a C1 control (U+0080–U+009F). Identifiers, URIs and the other text
 * of OAuth parameters and token claims never hold one; PostgreSQL text cannot even store NUL.
 * It does NOT look at invisible formatting characters (bidi overrides, zero-width spaces: category
 * Cf), unassigned code points or lone surrogates (a strict UTF-8 decoder never produces them).
 */
export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}
