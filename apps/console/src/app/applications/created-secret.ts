import { Injectable } from '@angular/core';

/**
 * Hands a new client secret from the create form to the application's page, in memory only
 * (never in the URL or the history), to be shown once: taking it forgets it.
 */
@Injectable({ providedIn: 'root' })
export class CreatedSecret {
  #secret: { clientId: string; secret: string } | undefined;

  put(clientId: string, secret: string): void {
    this.#secret = { clientId, secret };
  }

  take(clientId: string): string | undefined {
    const held = this.#secret;
    this.#secret = undefined;
    return held?.clientId === clientId ? held.secret : undefined;
  }
}
