import { Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AuthService } from './auth-service.js';

/**
 * The callback route (`{ path: 'callback', component: WardenCallbackComponent }`): shows a
 * loading message while the sign-in finishes, then navigates to the page the user wanted (or
 * `/`), replacing the callback in the history. A failed sign-in shows its error and a way home.
 */
@Component({
  selector: 'warden-callback',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as error) {
      <div class="warden-callback warden-callback--error" role="alert" data-testid="callback-error">
        <p>Signing in did not work: {{ error.message }}</p>
        <a routerLink="/">Back to the start page</a>
      </div>
    } @else {
      <p class="warden-callback" role="status" data-testid="callback-loading">Signing you in…</p>
    }
  `,
})
export class WardenCallbackComponent {
  readonly #auth = inject(AuthService);
  readonly #router = inject(Router);
  readonly #location = inject(Location);
  protected readonly error = signal<Error | undefined>(undefined);

  constructor() {
    this.#auth.handleRedirectCallback().then(
      ({ returnTo }) =>
        this.#router.navigateByUrl(this.#location.normalize(returnTo) || '/', { replaceUrl: true }),
      (error: unknown) => this.error.set(error instanceof Error ? error : new Error(String(error))),
    );
  }
}
