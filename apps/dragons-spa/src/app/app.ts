import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '@warden/angular';
import { describeError } from './describe-error';

/** The shell: header with the app name, navigation and the user menu; the page below. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly displayName = computed(() => {
    const user = this.auth.user();
    return user?.name ?? user?.nickname ?? user?.email ?? user?.sub ?? '';
  });
  protected readonly errorMessage = computed(() => {
    const error = this.auth.error();
    return error === undefined ? undefined : describeError(error);
  });

  // A failure is shown from auth.error(); nothing else to do with the rejection.
  protected login(): void {
    this.auth.login().catch(() => undefined);
  }

  protected logout(): void {
    this.auth.logout().catch(() => undefined);
  }
}
