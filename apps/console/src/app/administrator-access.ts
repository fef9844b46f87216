import { HttpClient, type HttpInterceptorFn } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom, tap } from 'rxjs';
import { type ApiProblem, isNotAdministrator } from './api-problem';
import { CONSOLE_CONFIG } from './console-config';
import { problemOf } from './management-api';

/**
 * Whether the signed-in user may use the console: `checking` until the management API has
 * answered once, `granted`, `denied` (the API refused them: they do not hold `warden:admin`), or
 * `failed` (the API could not say). The API checks the role at every request, so a later refusal
 * (the role taken away meanwhile) turns the console to `denied` too.
 */
export type AccessState =
  | { state: 'checking' }
  | { state: 'granted' }
  | { state: 'denied'; message: string }
  | { state: 'failed'; problem: ApiProblem };

@Injectable({ providedIn: 'root' })
export class AdministratorAccess {
  readonly #http = inject(HttpClient);
  readonly #url = inject(CONSOLE_CONFIG).audience;
  readonly #state = signal<AccessState>({ state: 'checking' });
  readonly state = this.#state.asReadonly();

  /** Asks the management API once (the smallest list it has) whether this user is an administrator. */
  async check(): Promise<void> {
    this.#state.set({ state: 'checking' });
    try {
      await firstValueFrom(
        this.#http.get(`${this.#url}clients`, { params: { per_page: 1, fields: 'client_id' } }),
      );
      if (this.#state().state === 'checking') this.#state.set({ state: 'granted' });
    } catch (error) {
      const problem = problemOf(error);
      if (isNotAdministrator(problem)) this.deny(problem.message);
      else this.#state.set({ state: 'failed', problem });
    }
  }

  deny(message: string): void {
    this.#state.set({ state: 'denied', message });
  }
}

/** Turns the console to "not an administrator" whenever the management API says so. */
export const administratorInterceptor: HttpInterceptorFn = (request, next) => {
  const access = inject(AdministratorAccess);
  return next(request).pipe(
    tap({
      error: (error: unknown) => {
        const problem = problemOf(error);
        if (isNotAdministrator(problem)) access.deny(problem.message);
      },
    }),
  );
};
