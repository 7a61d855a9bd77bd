import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's own build, injected into the page: no browser or service of its own. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** The WCAG 2.1 A and AA rules: what the EU Web Accessibility Directive asks of a city's site. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Every WCAG 2.1 A/AA violation axe finds on the page as it is now, one line each. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the dashboard's CSP (script-src 'self') rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    async (tags) =>
      (
        await (
          window as unknown as {
            axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
          }
        ).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
      ).violations,
    WCAG_21_AA,
  );
  return violations.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')})`,
  );
}

/** The focused element's outline, as drawn: "none" when focus would be invisible. */
export function focusRing(page: Page): Promise<{ tag: string; text: string; outline: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { tag: 'body', text: '', outline: 'none' };
    const style = getComputedStyle(element);
    const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    // An input is known by its label, as a screen reader announces it.
    const label = (element as HTMLInputElement).labels?.[0]?.textContent;
    return {
      tag: element.tagName.toLowerCase(),
      text: (element.getAttribute('aria-label') ?? label ?? element.textContent ?? '').trim().slice(0, 60),
      outline: visible ? `${style.outlineWidth} ${style.outlineStyle}` : 'none',
    };
  });
}
