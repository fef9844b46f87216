import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom, type Observable } from 'rxjs';
import { type ApiProblem, apiProblem } from './api-problem';
import type { Application, ApplicationInput } from './applications/application';
import { CONSOLE_CONFIG } from './console-config';

export type { Application, ApplicationInput };

/** One page of a list, with Auth0's totals. */
export interface ListPage<T> {
  start: number;
  limit: number;
  total: number;
  items: T[];
}

/**
 * The management API (`<issuer>api/v2/`) over HttpClient; `authInterceptor` adds the console's
 * access token. Every failure rejects with an {@link ApiProblem}.
 */
@Injectable({ providedIn: 'root' })
export class ManagementApi {
  readonly #http = inject(HttpClient);
  readonly #url = inject(CONSOLE_CONFIG).audience;

  async applications(page: number, perPage: number): Promise<ListPage<Application>> {
    const answer = await this.#call(
      this.#http.get<{ start: number; limit: number; total: number; clients: Application[] }>(
        `${this.#url}clients`,
        { params: { page, per_page: perPage, include_totals: true } },
      ),
    );
    return { start: answer.start, limit: answer.limit, total: answer.total, items: answer.clients };
  }

  application(id: string): Promise<Application> {
    return this.#call(this.#http.get<Application>(this.#clientUrl(id)));
  }

  createApplication(input: ApplicationInput): Promise<Application> {
    return this.#call(this.#http.post<Application>(`${this.#url}clients`, input));
  }

  updateApplication(id: string, changes: Partial<ApplicationInput>): Promise<Application> {
    return this.#call(this.#http.patch<Application>(this.#clientUrl(id), changes));
  }

  async deleteApplication(id: string): Promise<void> {
    await this.#call(this.#http.delete(this.#clientUrl(id)));
  }

  rotateSecret(id: string): Promise<Application> {
    return this.#call(this.#http.post<Application>(`${this.#clientUrl(id)}/rotate-secret`, null));
  }

  #clientUrl(id: string): string {
    return `${this.#url}clients/${encodeURIComponent(id)}`;
  }

  async #call<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request);
    } catch (error) {
      throw problemOf(error);
    }
  }
}

/** Any failure of a call as an {@link ApiProblem}. */
export function problemOf(error: unknown): ApiProblem {
  if (error instanceof HttpErrorResponse) return apiProblem(error.status, error.error);
  if (isApiProblem(error)) return error;
  return { status: 0, errorCode: undefined, message: error instanceof Error ? error.message : String(error) };
}

function isApiProblem(value: unknown): value is ApiProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiProblem).status === 'number' &&
    typeof (value as ApiProblem).message === 'string' &&
    !(value instanceof Error)
  );
}
