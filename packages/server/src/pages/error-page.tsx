import { AlertIcon } from './icons.js';
import { Layout } from './layout.js';

/** Headings for the error codes a user is most likely to meet on a hosted page. */
const friendlyTitles: Readonly<Record<string, string>> = {
  access_denied: 'Access denied',
  invalid_request: 'This sign-in link is not valid',
  invalid_client: 'This app is not recognised',
  unauthorized_client: 'This app is not allowed to sign you in',
  invalid_scope: 'This app asked for something it cannot have',
  unsupported_response_type: 'This app asked for something it cannot have',
  login_required: 'Please sign in again',
  consent_required: 'Your permission is needed',
  interaction_required: 'Please sign in again',
  temporarily_unavailable: 'Not available right now',
  server_error: 'Something went wrong on our side',
};

export interface ErrorPageProps {
  /** The heading; by default a friendly one for well-known codes, else "Something went wrong". */
  title?: string;
  /** The error code (e.g. `invalid_request`), shown small for support requests. */
  error: string;
  /** The public description. Never pass internal details: users (and attackers) read it. */
  description: string;
}

/**
 * An error the user cannot send back to the app (unknown client, bad `redirect_uri`, expired
 * interaction...): a friendly heading, the public description and the code in small print.
 * It does NOT decide what may be revealed, nor set the status code.
 */
export function ErrorPage({ title, error, description }: ErrorPageProps) {
  const heading = title ?? friendlyTitles[error] ?? 'Something went wrong';
  return (
    <Layout title={heading}>
      <div class="card-header card-header-center">
        <div class="status-icon status-icon-danger" aria-hidden="true">
          <AlertIcon />
        </div>
        <h1>{heading}</h1>
        <p class="subtitle">{description}</p>
      </div>
      <p class="error-code">
        Error code: <code>{error}</code>
      </p>
    </Layout>
  );
}
