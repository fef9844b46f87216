import { CurrencyPipe, DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, resource } from '@angular/core';
import { AuthService } from '@warden/angular';
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

  protected readonly name = computed(() => {
    const user = this.auth.user();
    return user?.name ?? user?.nickname ?? user?.email ?? 'dragon rider';
  });
  /**
   * The access token's `roles` (read from the token in token mode, told by the app's server in
   * cookie mode), to choose what to show; the API checks for itself.
   */
  protected readonly roles = this.auth.roles;
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
