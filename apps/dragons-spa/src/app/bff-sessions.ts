import { Injectable, inject } from '@angular/core';
import { WARDEN_CLIENT } from '@warden/angular';

/** One of the user's sessions at the app's server (cookie mode), as `GET /bff/sessions` lists it. */
export interface BffSession {
  /** A public handle of the session (not its cookie). */
  sid: string;
  /** Epoch seconds. */
  createdAt: number;
  lastSeenAt: number;
  /** The session of this browser. */
  current: boolean;
}

/**
 * The user's sessions at the app's backend-for-frontend (cookie mode). Every call goes through the
 * Warden client's same-origin `fetch`, so the browser sends the session cookie along with
 * `Sec-Fetch-Site` and `Origin`, which the server checks on the unsafe ones.
 */
@Injectable({ providedIn: 'root' })
export class BffSessions {
  readonly #client = inject(WARDEN_CLIENT);

  async list(): Promise<BffSession[]> {
    const response = await this.#send('GET', '/bff/sessions');
    return ((await response.json()) as { sessions: BffSession[] }).sessions;
  }

  /** Signs out every other device of the user; resolves with how many sessions ended. */
  async endOthers(): Promise<number> {
    const response = await this.#send('DELETE', '/bff/sessions');
    return ((await response.json()) as { ended: number }).ended;
  }

  /** Signs out one other device. */
  async end(sid: string): Promise<void> {
    await this.#send('DELETE', `/bff/sessions/${encodeURIComponent(sid)}`);
  }

  async #send(method: string, path: string): Promise<Response> {
    const response = await this.#client.fetch(path, { method, headers: { accept: 'application/json' } });
    if (response.ok) return response;
    if (response.status === 401) throw new Error('Your session has ended. Sign in again.');
    const body = (await response.json().catch(() => ({}))) as { error_description?: unknown };
    const detail = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
    throw new Error(`The app server answered ${response.status}${detail}.`);
  }
}
