import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
// The API's own types: what GET /api/dragons and the admin-only GET /api/orders answer.
import type { Dragon } from '../../../dragons-api/src/dragons';
import type { Order } from '../../../dragons-api/src/orders';
import { RUNTIME_CONFIG } from './runtime-config';

export type { Dragon, Order };

/**
 * The Dragons API over HttpClient. Token mode: `authInterceptor` adds the access token to these
 * requests. Cookie mode: they go to `/api/` on this origin with the session cookie, and the app's
 * server adds the token.
 */
@Injectable({ providedIn: 'root' })
export class DragonsApi {
  readonly #http = inject(HttpClient);
  readonly #url = inject(RUNTIME_CONFIG).apiUrl;

  dragons(): Promise<Dragon[]> {
    return firstValueFrom(this.#http.get<Dragon[]>(`${this.#url}dragons`));
  }

  orders(): Promise<Order[]> {
    return firstValueFrom(this.#http.get<Order[]>(`${this.#url}orders`));
  }
}
