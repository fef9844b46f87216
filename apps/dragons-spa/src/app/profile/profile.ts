import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AuthService } from '@warden/angular';
import { CookieSession } from './cookie-session';
import { TokenDetails } from './token-details';

/**
 * The OIDC profile; below it, in token mode the access token taken apart, in cookie mode what the
 * app's server holds for this browser instead (grants and sessions).
 */
@Component({
  selector: 'app-profile',
  imports: [DatePipe, CookieSession, TokenDetails],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './profile.html',
})
export class Profile {
  protected readonly auth = inject(AuthService);

  /** `updated_at` is in seconds (OIDC); the date pipe wants milliseconds. */
  protected readonly updatedAt = computed(() => {
    const seconds = this.auth.user()?.updated_at;
    return typeof seconds === 'number' ? seconds * 1000 : undefined;
  });
}
