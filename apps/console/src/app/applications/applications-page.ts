import { ChangeDetectionStrategy, Component, computed, inject, input, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ManagementApi, problemOf } from '../management-api';
import { Notices } from '../notices';
import { APP_TYPE_LABELS } from './app-types';

/** Applications on a page of the list. */
export const APPLICATIONS_PER_PAGE = 50;

/** The applications (name, type, client id), a page at a time, and the way to create one. */
@Component({
  selector: 'app-applications-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './applications-page.html',
})
export class ApplicationsPage {
  readonly #api = inject(ManagementApi);
  /** The `page` query parameter: the page shown, from 1. */
  readonly page = input<string | undefined>();
  protected readonly notice = inject(Notices).take();
  protected readonly labels = APP_TYPE_LABELS;

  protected readonly pageIndex = computed(() => {
    const page = Number(this.page() ?? '1');
    return Number.isSafeInteger(page) && page >= 1 ? page - 1 : 0;
  });
  protected readonly list = resource({
    params: () => ({ page: this.pageIndex() }),
    loader: ({ params }) => this.#api.applications(params.page, APPLICATIONS_PER_PAGE),
  });
  protected readonly problem = computed(() => {
    const error = this.list.error();
    return error === undefined ? undefined : problemOf(error).message;
  });
  /** "1–50 of 120", with the neighbouring pages. */
  protected readonly paging = computed(() => {
    if (!this.list.hasValue()) return undefined;
    const { start, limit, total, items } = this.list.value();
    return {
      first: items.length === 0 ? 0 : start + 1,
      last: start + items.length,
      total,
      previous: start > 0 ? Math.floor(start / limit) : undefined,
      next: start + items.length < total ? Math.floor(start / limit) + 2 : undefined,
    };
  });
}
