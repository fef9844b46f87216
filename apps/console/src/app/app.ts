import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '@warden/angular';
import { AdministratorAccess } from './administrator-access';
import { NotAdministrator } from './not-administrator';
import { WardenLogo } from './warden-logo';

/**
 * The shell: the header (the console's name, the administrator's name, Sign out), the navigation,
 * and the page, once the management API has said the user is an administrator of Warden; the
 * "not an administrator" page when it refused them.
 */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, NotAdministrator, WardenLogo],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly access = inject(AdministratorAccess);
  protected readonly displayName = computed(() => {
    const user = this.auth.user();
    return user?.name ?? user?.nickname ?? user?.email ?? user?.sub ?? '';
  });
  protected readonly signInError = computed(() => {
    const error = this.auth.error();
    return error === undefined ? undefined : error.message;
  });

  protected readonly accessFailure = computed(() => {
    const access = this.access.state();
    return access.state === 'failed' ? access.problem.message : '';
  });

  constructor() {
    // Once signed in (and again after a new sign-in), ask the API whether this user may use the console.
    effect(() => {
      if (this.auth.isAuthenticated()) untracked(() => void this.access.check());
    });
  }

  protected retry(): void {
    void this.access.check();
  }

  // A failure is shown from auth.error(); nothing else to do with the rejection.
  protected logout(): void {
    this.auth.logout().catch(() => undefined);
  }
}
