import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { RUNTIME_CONFIG } from './runtime-config';

/** One dragon, as GET /api/dragons answers. */
export interface Dragon {
  name: string;
  origin: string;
  description: string;
}

/** One order, as the admin-only GET /api/orders answers; amounts in minor units. */
export interface Order {
  id: string;
  placedAt: string;
  customer: string;
  items: { sku: string; name: string; quantity: number; unitPrice: number }[];
  total: number;
  currency: string;
  status: 'pending' | 'paid' | 'shipped' | 'delivered' | 'refunded';
}

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
