/**
 * Preferences saved on a user's Coupa account, not in the browser: the lines table's "Per page"
 * choice, once changed, holds for every later page view of that user until changed back.
 */
export class UserPreferences {
  readonly #linesPerPage = new Map<string, number>();
  readonly #startLinesPerPage: number;

  constructor(startLinesPerPage: number) {
    this.#startLinesPerPage = startLinesPerPage;
  }

  linesPerPage(user: string): number {
    return this.#linesPerPage.get(user) ?? this.#startLinesPerPage;
  }

  setLinesPerPage(user: string, value: number): void {
    this.#linesPerPage.set(user, value);
  }
}
