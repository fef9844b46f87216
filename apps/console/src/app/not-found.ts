import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="empty-state">
      <h1>No such page</h1>
      <p class="muted">The console has no page at this address.</p>
      <a class="button button--primary" routerLink="/applications">Go to the applications</a>
    </section>
  `,
})
export class NotFound {}
