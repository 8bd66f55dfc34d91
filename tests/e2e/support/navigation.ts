import type { Locator, Page } from 'playwright-core';

/** The header's main navigation (react-dsfr `Header`, id `fr-header`). */
export const mainNavigation = (page: Page): Locator => page.locator('#fr-header-main-navigation');

/**
 * A link of the main navigation, found whether it is a top entry or in a DSFR sub-menu
 * (issue 17: the menu is grouped); a closed sub-menu is opened first, as a person does.
 */
export async function menuLink(page: Page, name: string | RegExp): Promise<Locator> {
  const nav = mainNavigation(page);
  const link = nav.getByRole('link', { name, includeHidden: true }).first();
  await link.waitFor({ state: 'attached' });
  if (!(await link.isVisible())) {
    // The top entry holding the link (the inner locator is relative to each entry).
    const item = nav.locator('.fr-nav__item').filter({ has: page.getByRole('link', { name, includeHidden: true }) }).first();
    const button = item.locator(':scope > button.fr-nav__btn');
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    await link.waitFor({ state: 'visible' });
  }
  return link;
}

/** Opens the link `name` of the main navigation (through its sub-menu when it has one). */
export async function clickMenuLink(page: Page, name: string | RegExp): Promise<void> {
  await (await menuLink(page, name)).click();
}
