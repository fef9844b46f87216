import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { AuthService } from '@warden/angular';
import { type BffSession, BffSessions } from '../bff-sessions';
import { describeError } from '../describe-error';

/**
 * Cookie mode: what stands in for the token on the profile. No token reaches the browser, so it
 * shows what the app's server says the session's token grants, and the user's sessions, with
 * "sign out other devices" and "log out everywhere".
 */
@Component({
  selector: 'app-cookie-session',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './cookie-session.html',
})
export class CookieSession {
  protected readonly auth = inject(AuthService);
  readonly #sessions = inject(BffSessions);
  protected readonly describe = describeError;

  protected readonly sessions = resource({ loader: () => this.#sessions.list() });
  protected readonly scopes = computed(() => (this.auth.access()?.scope ?? '').split(' ').filter(Boolean));
  protected readonly expiresAt = computed(() => {
    const seconds = this.auth.access()?.expiresAt;
    return seconds === undefined ? undefined : seconds * 1000;
  });
  /** What the last action did, or why it failed. */
  protected readonly message = signal<{ text: string; error: boolean } | undefined>(undefined);
  protected readonly busy = signal(false);

  protected endOthers(): void {
    this.#act(async () => {
      const ended = await this.#sessions.endOthers();
      if (ended === 0) return 'No other device was signed in.';
      return ended === 1 ? 'One other session ended.' : `${ended} other sessions ended.`;
    });
  }

  protected end(session: BffSession): void {
    this.#act(async () => {
      await this.#sessions.end(session.sid);
      return 'That session ended.';
    });
  }

  /** Leaves the page: the idp's logout, then back to the start page. A failure shows in the banner. */
  protected logoutEverywhere(): void {
    this.auth.logoutEverywhere().catch(() => undefined);
  }

  /** A short, stable label for a session. */
  protected label(session: BffSession): string {
    return session.sid.slice(0, 8);
  }

  #act(run: () => Promise<string>): void {
    this.busy.set(true);
    this.message.set(undefined);
    run()
      .then(
        (text) => this.message.set({ text, error: false }),
        (error: unknown) => this.message.set({ text: describeError(error), error: true }),
      )
      .finally(() => {
        this.busy.set(false);
        this.sessions.reload();
      });
  }
}
