// Finding the page's own elements: each is in index.html, so a missing one is a bug, said at once.

/** The element with this id, of the type the caller knows it to be. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
}

/** The first element under `root` matching `selector`. */
export function part<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`No ${selector} in the page`);
  return found as T;
}
