import type { Page } from 'playwright-core';

/** Open a figure's "Share / export" menu (a <details>), where its embed code and export buttons are. */
export async function openTools(page: Page, panel: string): Promise<void> {
  const menu = page.locator(`[data-panel=${panel}] details.share-export`);
  if (!(await menu.evaluate((el: HTMLDetailsElement) => el.open))) await menu.locator('summary').click();
}
