import { test as base, expect, type Page } from "@playwright/test";
import { untranslatedText } from "./visible-text";

export { expect };
export type { Page };

/**
 * Messages outside our control that may appear on any page, each with its reason. Keep it short:
 * everything else the browser or the app logs as an error fails the test.
 */
const ALWAYS_ALLOWED: { pattern: RegExp; why: string }[] = [];

/** Watches every page of a test: console errors, uncaught exceptions, failed requests, untranslated text. */
class Guard {
  private readonly problems: string[] = [];
  private readonly allowed: RegExp[] = ALWAYS_ALLOWED.map((entry) => entry.pattern);
  readonly pages: Page[] = [];
  /** Set by the fixture: a guarded page in a fresh browser context. */
  newPage!: () => Promise<Page>;

  watch(page: Page) {
    this.pages.push(page);
    page.on("console", (message) => {
      // A refused request is logged as "Failed to load resource: …": its location names the request.
      if (message.type() === "error") this.report(`console error on ${page.url()}: ${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => this.report(`uncaught exception on ${page.url()}: ${error.message}`));
    page.on("requestfailed", (request) => {
      // Requests the browser cancels when the page navigates or the app aborts them are not failures.
      if (request.failure()?.errorText !== "net::ERR_ABORTED") this.report(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
    });
    return page;
  }

  /**
   * Accepts problems matching `pattern` for the rest of this test only: for a step that provokes a
   * refusal on purpose (the browser itself logs the HTTP error of a refused request), or text from
   * data the test does not own.
   */
  allow(pattern: RegExp) {
    this.allowed.push(pattern);
  }

  private report(problem: string) {
    if (!this.allowed.some((pattern) => pattern.test(problem))) this.problems.push(problem);
  }

  async check() {
    for (const page of this.pages.filter((p) => !p.isClosed())) {
      for (const text of await untranslatedText(page)) this.report(`untranslated text on ${page.url()}: ${text}`);
    }
    expect(this.problems, "console errors, page errors, failed requests or untranslated text").toEqual([]);
  }
}

/**
 * Every spec imports `test` from here: every page of the test's browser context fails the test on any
 * console error, uncaught exception, failed request or untranslated text. `guard.newPage()` opens a
 * guarded page in a fresh context (to act as another user at the same time).
 */
export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ context, browser }, provide) => {
      const guard = new Guard();
      context.on("page", (page) => guard.watch(page));
      const others: Page[] = [];
      guard.newPage = async () => {
        const page = guard.watch(await browser.newPage());
        others.push(page);
        return page;
      };
      try {
        await provide(guard);
        await guard.check();
      } finally {
        await Promise.all(others.map((page) => page.close()));
      }
    },
    { auto: true },
  ],
});
