import { createHash } from 'node:crypto';
import { ArrowRightIcon } from './icons.js';
import { Layout } from './layout.js';

/**
 * The auto-submit script of the form post page, exactly as rendered. It contains no character
 * the renderer escapes, so the hash below matches the bytes on the wire.
 */
export const formPostScript = 'document.forms[0].submit()';

/**
 * The CSP source allowing {@link formPostScript}: `'sha256-…'` (quotes included). Add it to
 * `script-src` on the form post response only; without it the script is blocked and the user
 * presses "Continue" instead.
 */
export const formPostScriptHash = `'sha256-${createHash('sha256').update(formPostScript, 'utf8').digest('base64')}'`;

export interface FormPostPageProps {
  /** The client's registered `redirect_uri`; the form posts there. */
  action: string;
  /** The authorization response parameters (`code`, `state`, `iss`, ...), posted as-is. */
  fields: Record<string, string>;
}

/**
 * The OAuth 2.0 Form Post Response Mode page: one form posting `fields` to `action`, submitted
 * by {@link formPostScript} when the CSP allows it, otherwise by a visible "Continue" button.
 * The integrator must also allow `action`'s origin in `form-action`. It does NOT check that
 * `action` is a registered redirect URI.
 */
export function FormPostPage({ action, fields }: FormPostPageProps) {
  return (
    <Layout title="Continue">
      <div class="card-header card-header-center">
        <div class="status-icon" aria-hidden="true">
          <ArrowRightIcon />
        </div>
        <h1>Almost there</h1>
        <p class="subtitle">Press Continue to return to the app you are signing in to.</p>
      </div>
      <form method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button class="button button-primary" type="submit">
          Continue
        </button>
      </form>
      <script>{formPostScript}</script>
    </Layout>
  );
}
