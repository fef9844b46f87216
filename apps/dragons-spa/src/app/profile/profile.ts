import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AuthService } from '@warden/angular';
import { accessTokenResource } from '../access-token';
import { describeError } from '../describe-error';

/** The OIDC profile, and the access token taken apart: readable by anyone, and sent with every call. */
@Component({
  selector: 'app-profile',
  imports: [DatePipe, JsonPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './profile.html',
})
export class Profile {
  protected readonly auth = inject(AuthService);
  protected readonly token = accessTokenResource();
  protected readonly describe = describeError;

  /** `updated_at` is in seconds (OIDC); the date pipe wants milliseconds. */
  protected readonly updatedAt = computed(() => {
    const seconds = this.auth.user()?.updated_at;
    return typeof seconds === 'number' ? seconds * 1000 : undefined;
  });

  /** The claims that say when the token is good for, in milliseconds. */
  protected readonly lifetime = computed(() => {
    const payload = this.token.value()?.payload;
    const iat = payload?.iat;
    const exp = payload?.exp;
    return typeof iat === 'number' && typeof exp === 'number'
      ? { issued: iat * 1000, expires: exp * 1000, minutes: Math.round((exp - iat) / 60) }
      : undefined;
  });
}
