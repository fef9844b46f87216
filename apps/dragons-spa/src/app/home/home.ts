import { CurrencyPipe, DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, resource } from '@angular/core';
import { AuthService } from '@warden/angular';
import { accessTokenResource, rolesOf } from '../access-token';
import { describeError } from '../describe-error';
import { DragonsApi } from '../dragons-api';

/** Home: an invitation to sign in, or the greeting, the dragons and (for admins) the orders. */
@Component({
  selector: 'app-home',
  imports: [CurrencyPipe, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './home.html',
})
export class Home {
  protected readonly auth = inject(AuthService);
  readonly #api = inject(DragonsApi);
  readonly #token = accessTokenResource();

  protected readonly name = computed(() => {
    const user = this.auth.user();
    return user?.name ?? user?.nickname ?? user?.email ?? 'dragon rider';
  });
  /** From the access token's `roles` claim, to choose what to show; the API checks for itself. */
  protected readonly roles = computed(() => rolesOf(this.#token.value()?.payload));
  protected readonly isAdmin = computed(() => this.roles().includes('admin'));

  protected readonly dragons = resource({
    params: () => (this.auth.isAuthenticated() ? { user: this.auth.user() } : undefined),
    loader: () => this.#api.dragons(),
  });
  protected readonly orders = resource({
    params: () => (this.isAdmin() ? { user: this.auth.user() } : undefined),
    loader: () => this.#api.orders(),
  });

  protected readonly skeletons = [1, 2, 3, 4, 5, 6];
  protected readonly describe = describeError;

  /** A failure is shown by the shell from auth.error(). */
  protected login(): void {
    this.auth.login().catch(() => undefined);
  }

  /** Two letters for the dragon's badge. */
  protected initials(name: string): string {
    return name.slice(0, 2);
  }

  protected itemCount(order: { items: { quantity: number }[] }): number {
    return order.items.reduce((sum, item) => sum + item.quantity, 0);
  }
}
