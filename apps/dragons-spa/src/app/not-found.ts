import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="empty-state">
      <h1>No dragon lives here</h1>
      <p>The page you asked for does not exist.</p>
      <a class="button button--primary" routerLink="/">Back to the dragons</a>
    </section>
  `,
})
export class NotFound {}
