import { htmlResponse } from '../http/html-response.js';
import { ContinuePage } from '../pages/continue-page.js';

/**
 * What the browser gets back from an upstream's callback. A redirect onward (to the app with its
 * code, to the account page) is answered as a page that moves on by itself (`ContinuePage`) when
 * the browser came from another origin (`Sec-Fetch-Site` `cross-site` or `same-site`): it came by
 * redirects that began with the upstream's sign-in form, and browsers hold every redirect of that
 * chain to the form page's `form-action` policy, which names the upstream's own clients (this idp)
 * but not this idp's apps. A strict upstream (another Warden) would block the sign-in otherwise.
 * Anything else passes unchanged.
 */
export function arriveFromUpstream(request: Request, response: Response): Response {
  const location = response.headers.get('location');
  const site = request.headers.get('sec-fetch-site');
  if (location === null || (site !== 'cross-site' && site !== 'same-site')) return response;
  if (response.status < 300 || response.status > 399) return response;
  return htmlResponse(ContinuePage({ next: location }), 200, response.headers.getSetCookie());
}
