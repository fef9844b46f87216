import { afterNextRender, type Injector } from '@angular/core';

/**
 * Once the page shows the API's refusal, moves the focus to the first field it names, or to the
 * form's error message (which has `tabindex="-1"`), so keyboard and screen reader users land on it.
 */
export function focusFirstError(injector: Injector): void {
  afterNextRender(
    () => {
      const target = document.querySelector<HTMLElement>(
        'input[aria-invalid="true"], textarea[aria-invalid="true"], fieldset[aria-invalid="true"] input:checked, .alert--error[tabindex="-1"]',
      );
      target?.focus();
    },
    { injector },
  );
}
