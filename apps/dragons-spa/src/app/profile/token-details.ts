import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { accessTokenResource } from '../access-token';
import { describeError } from '../describe-error';

/** Token mode: the access token taken apart, readable by anyone, and sent with every call. */
@Component({
  selector: 'app-token-details',
  imports: [DatePipe, JsonPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './token-details.html',
})
export class TokenDetails {
  protected readonly token = accessTokenResource();
  protected readonly describe = describeError;

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
