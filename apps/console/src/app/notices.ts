import { Injectable, signal } from '@angular/core';

/** A message for the next page (after a deletion, say), shown once in a status region. */
@Injectable({ providedIn: 'root' })
export class Notices {
  readonly #message = signal<string | undefined>(undefined);

  post(message: string): void {
    this.#message.set(message);
  }

  /** The message posted, forgotten once taken. */
  take(): string | undefined {
    const message = this.#message();
    this.#message.set(undefined);
    return message;
  }
}
