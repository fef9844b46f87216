import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

/** What a signed-in user who is not an administrator of Warden sees instead of the console. */
@Component({
  selector: 'app-not-administrator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card notice-card" data-testid="not-administrator" aria-labelledby="not-admin-title">
      <h1 id="not-admin-title">You are not an administrator of Warden</h1>
      <p>
        You are signed in as <strong>{{ name() }}</strong>{{ emailNote() }}, but the console is only for
        users with the role <code>warden:admin</code>.
      </p>
      <p class="muted">
        Ask an administrator to give you the role, or sign out and sign in with an administrator's account.
      </p>
      <button type="button" class="button button--primary" data-testid="not-admin-logout" (click)="signOut.emit()">
        Sign out
      </button>
    </section>
  `,
})
export class NotAdministrator {
  readonly name = input.required<string>();
  readonly email = input<string | undefined>();
  readonly signOut = output();
  protected readonly emailNote = computed(() => {
    const email = this.email();
    return email && email !== this.name() ? ` (${email})` : '';
  });
}
