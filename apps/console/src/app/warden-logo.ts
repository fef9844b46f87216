import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Warden's mark (the hosted pages' shield with a keyhole), coloured by the stylesheet. */
@Component({
  selector: 'app-warden-logo',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg class="logo" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path
        class="logo-shield"
        d="M16 2.5 4.5 6.8v8.4c0 7.3 4.9 12.6 11.5 14.3 6.6-1.7 11.5-7 11.5-14.3V6.8L16 2.5Z"
      />
      <path class="logo-keyhole" d="M16 9.5a3.6 3.6 0 0 0-1.7 6.8l-1 5.2h5.4l-1-5.2A3.6 3.6 0 0 0 16 9.5Z" />
    </svg>
  `,
})
export class WardenLogo {}
