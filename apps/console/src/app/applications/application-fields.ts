import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  type OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { APP_TYPE_HINTS, APP_TYPE_LABELS, APP_TYPES, type AppType, signsUsersIn } from './app-types';
import type { ApplicationForm } from './application-form';

/**
 * The article's fields of an application, each labelled, with the API's error next to the field
 * it names: name, type, and for the types users sign in through, the callback, web origin and
 * logout URLs. `types` are the types offered (an existing application's type changes only to some).
 */
@Component({
  selector: 'app-application-fields',
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './application-fields.html',
})
export class ApplicationFields implements OnInit {
  readonly form = input.required<ApplicationForm>();
  /** The API's message for each field it named. */
  readonly errors = input<Readonly<Record<string, string>>>({});
  readonly types = input<readonly AppType[]>(APP_TYPES);

  protected readonly allTypes = APP_TYPES;
  protected readonly labels = APP_TYPE_LABELS;
  protected readonly hints = APP_TYPE_HINTS;
  protected readonly type = signal<AppType>('spa');
  protected readonly signsUsersIn = signsUsersIn;
  readonly #destroy = inject(DestroyRef);

  ngOnInit(): void {
    const control = this.form().controls.type;
    this.type.set(control.value);
    control.valueChanges.pipe(takeUntilDestroyed(this.#destroy)).subscribe((type) => this.type.set(type));
  }

  /** `aria-describedby` of a field: its hint, and its error when it has one. */
  protected describedBy(field: string): string {
    return this.errors()[field] ? `app-${field}-hint app-${field}-error` : `app-${field}-hint`;
  }
}
