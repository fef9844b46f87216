import { ChangeDetectionStrategy, Component, type ElementRef, input, output, viewChild } from '@angular/core';

let dialogs = 0;

/**
 * A modal confirmation (the native `<dialog>`: focus stays inside, Escape cancels, focus returns
 * to the button that opened it). Cancel has the focus first, so Enter never confirms by accident.
 * The projected content says what will happen.
 */
@Component({
  selector: 'app-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="dialog"
      [attr.aria-labelledby]="titleId"
      [attr.aria-describedby]="bodyId"
      [attr.data-testid]="testId()"
      (close)="closed()"
    >
      <h2 class="dialog__title" [id]="titleId">{{ heading() }}</h2>
      <div class="dialog__body" [id]="bodyId"><ng-content /></div>
      <div class="dialog__actions">
        <button type="button" class="button button--secondary" autofocus (click)="dialog.close('cancel')">
          Cancel
        </button>
        <button
          type="button"
          class="button"
          [class.button--danger]="danger()"
          [class.button--primary]="!danger()"
          data-testid="confirm-button"
          (click)="dialog.close('confirm')"
        >
          {{ confirmLabel() }}
        </button>
      </div>
    </dialog>
  `,
})
export class ConfirmDialog {
  readonly heading = input.required<string>();
  readonly confirmLabel = input.required<string>();
  /** A destructive action: the confirm button is red. */
  readonly danger = input(true);
  readonly testId = input('confirm-dialog');
  readonly confirmed = output();

  protected readonly titleId = `confirm-title-${++dialogs}`;
  protected readonly bodyId = `confirm-body-${dialogs}`;
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  open(): void {
    const dialog = this.dialog().nativeElement;
    dialog.returnValue = '';
    dialog.showModal();
  }

  protected closed(): void {
    if (this.dialog().nativeElement.returnValue === 'confirm') this.confirmed.emit();
  }
}
