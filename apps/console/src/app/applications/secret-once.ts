import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

/**
 * A client secret shown once, right after it was made: read-only, with a copy button and the
 * warning that it will not be shown again.
 */
@Component({
  selector: 'app-secret-once',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card secret-panel" aria-labelledby="secret-title" data-testid="secret-once">
      <h2 id="secret-title">{{ heading() }}</h2>
      <p class="alert alert--warning">
        Copy the client secret now: it will not be shown again. Keep it on your application's server,
        never in a browser or a mobile app.
      </p>
      <div class="field">
        <label for="client-secret">Client secret</label>
        <div class="copy-row">
          <input
            #field
            id="client-secret"
            class="mono"
            type="text"
            readonly
            spellcheck="false"
            [value]="secret()"
            data-testid="client-secret"
            (focus)="field.select()"
          />
          <button type="button" class="button button--secondary" data-testid="copy-secret" (click)="copy(field)">
            Copy
          </button>
        </div>
        <p class="hint" role="status" data-testid="copy-status">{{ status() }}</p>
      </div>
      <button type="button" class="button button--primary" data-testid="secret-done" (click)="done.emit()">
        I have stored it
      </button>
    </section>
  `,
})
export class SecretOnce {
  readonly secret = input.required<string>();
  readonly heading = input('Your client secret');
  readonly done = output();
  protected readonly status = signal('');

  protected async copy(field: HTMLInputElement): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.secret());
      this.status.set('Copied to the clipboard.');
    } catch {
      field.focus();
      field.select();
      this.status.set(
        'The browser did not allow copying: the secret is selected, press Ctrl+C (⌘C) to copy it.',
      );
    }
  }
}
