import type { ChildNode, Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';

/** What the crawler takes from an HTML page besides its text. */
export interface HtmlPageParts {
  /** The page reduced to its main content (and its <title> when that has no <h1>), for parseHtml. */
  mainHtml: string;
  /** Every link (`<a href>`), resolved against the page (or its `<base href>`), fragments removed. */
  links: string[];
  /** `<link rel="canonical">`, resolved; null when absent. */
  canonical: string | null;
  /** The page's `<meta name="robots">` (or a meta named after the crawler) directives, lower case. */
  robots: string[];
}

/** Landmarks that are not the page's content wherever they sit: menus, sidebars, search. */
const ASIDE_ROLES = new Set(['navigation', 'complementary', 'search']);
/** Landmarks that are the site's, not the page's, when they sit outside the main content. */
const SITE_ROLES = new Set(['banner', 'contentinfo']);

/**
 * Splits a fetched HTML page into what is indexed and what is followed. The links come from the
 * whole page, navigation included: that is how a crawler finds the other pages. The content is
 * the page's main content: `<main>` (or `role="main"`), else its only `<article>`, else `<body>`
 * without the site's header and footer; in each, without menus, sidebars and the permalink
 * markers doc generators put after headings (`¶`). Hand-written over htmlparser2's DOM (which
 * parseHtml uses too): readability-style scoring is meant for news articles and drops the code
 * blocks and tables documentation is made of.
 */
export function htmlPageParts(html: string, pageUrl: string, robotsToken: string): HtmlPageParts {
  const document = parseDocument(html);
  const find = (test: (element: Element) => boolean) => DomUtils.findAll(test, document.children);
  const baseHref = find((element) => element.name === 'base' && Boolean(element.attribs.href))[0]?.attribs.href;
  const base = resolve(baseHref ?? pageUrl, pageUrl) ?? pageUrl;
  const links = find((element) => (element.name === 'a' || element.name === 'area') && Boolean(element.attribs.href))
    .map((element) => resolve(element.attribs.href, base))
    .filter((link): link is string => link !== null);
  const canonicalElement = find((element) => element.name === 'link' && relTokens(element).includes('canonical'))[0];
  const canonical = canonicalElement?.attribs.href ? resolve(canonicalElement.attribs.href, base) : null;
  const robots = find((element) => element.name === 'meta' && ['robots', robotsToken].includes((element.attribs.name ?? '').toLowerCase()))
    .flatMap((element) => (element.attribs.content ?? '').toLowerCase().split(','))
    .map((directive) => directive.trim())
    .filter(Boolean);
  const title = find((element) => element.name === 'title')[0];
  const main = mainContent(document.children, find);
  // A page's <title> mostly adds the site's name to its own ("Install | Crane Docs"): its <h1> titles it, when there is one.
  const titled = /<h1[\s>]/i.test(main);
  return {
    mainHtml: `<html><head>${title && !titled ? DomUtils.getOuterHTML(title) : ''}</head><body>${main}</body></html>`,
    links: [...new Set(links)],
    canonical,
    robots,
  };
}

function mainContent(nodes: ChildNode[], find: (test: (element: Element) => boolean) => Element[]): string {
  const main = find((element) => element.name === 'main' || element.attribs.role === 'main')[0];
  const articles = find((element) => element.name === 'article');
  const body = find((element) => element.name === 'body')[0];
  const chosen = main ?? (articles.length === 1 ? articles[0] : undefined);
  const root = chosen ?? body;
  const roots = root ? [root] : nodes;
  for (const element of DomUtils.findAll(
    // Without a <body> (a fragment), the <title> is among the roots: it is given apart, in the head.
    (candidate) =>
      isAside(candidate) || (!chosen && isSiteLandmark(candidate) && !insideArticle(candidate)) || (!root && candidate.name === 'title'),
    roots,
  )) {
    DomUtils.removeElement(element);
  }
  return roots.map((node) => DomUtils.getOuterHTML(node)).join('');
}

function isAside(element: Element): boolean {
  const role = (element.attribs.role ?? '').toLowerCase();
  const classes = ` ${element.attribs.class ?? ''} `;
  return element.name === 'nav' || element.name === 'aside' || ASIDE_ROLES.has(role) || / headerlink /.test(classes);
}

function isSiteLandmark(element: Element): boolean {
  return element.name === 'header' || element.name === 'footer' || SITE_ROLES.has((element.attribs.role ?? '').toLowerCase());
}

function insideArticle(element: Element): boolean {
  for (let parent = element.parent; parent; parent = parent.parent) {
    if ((parent as Element).name === 'article') return true;
  }
  return false;
}

function relTokens(element: Element): string[] {
  return (element.attribs.rel ?? '').toLowerCase().split(/\s+/);
}

/** An absolute http(s) URL without its fragment, or null for other schemes (mailto:, javascript:) and nonsense. */
function resolve(href: string, base: string): string | null {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}
