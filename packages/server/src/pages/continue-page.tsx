import { ArrowRightIcon } from './icons.js';
import { Layout } from './layout.js';

export interface ContinuePageProps {
  /** Where the browser goes next: the app's redirect URI with the code, or a page of the idp. */
  next: string;
}

/**
 * "Signing you in…": a page that moves on to `next` by itself (meta refresh, no script), with a
 * "Continue" link as a fallback. It ends a chain of redirects that began with a form on another
 * origin: the upstream's sign-in form, whose `form-action` policy (Warden's own among them) would
 * block each further redirect to an origin it does not know. It does NOT check `next`.
 */
export function ContinuePage({ next }: ContinuePageProps) {
  return (
    <Layout title="Signing you in" refreshTo={next}>
      <div class="card-header card-header-center">
        <div class="status-icon" aria-hidden="true">
          <ArrowRightIcon />
        </div>
        <h1>Signing you in…</h1>
        <p class="subtitle">If nothing happens, continue by hand.</p>
      </div>
      <a class="button button-primary" href={next}>
        Continue
      </a>
    </Layout>
  );
}
