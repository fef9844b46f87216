/** The form field that carries the synchronizer CSRF token on every hosted-page form. */
export const csrfFieldName = 'csrf_token';

export interface HiddenFieldsProps {
  /** The session's CSRF token, posted back as {@link csrfFieldName}. */
  csrfToken: string;
  /** Request state to carry through the form (e.g. an interaction id), posted back as-is. */
  hidden?: Record<string, string> | undefined;
}

/**
 * Hidden inputs for the CSRF token and the carried request state. Values are attribute-escaped
 * by the renderer. It does NOT stop `hidden` from repeating {@link csrfFieldName}; the caller
 * must not pass it.
 */
export function HiddenFields({ csrfToken, hidden }: HiddenFieldsProps) {
  return (
    <>
      <input type="hidden" name={csrfFieldName} value={csrfToken} />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}
