import { describe, expect, it } from 'vitest';
import { liveLink, placeLink } from '../../server/public/source-place.js';

const PAGE = 'https://docs.example.com/guide/install';

describe('liveLink', () => {
  it("opens a citation's link, else the page's URL, and nothing for a file or a non-web address", () => {
    expect(liveLink({ url: PAGE, link: `${PAGE}#:~:text=port%207070` })).toBe(`${PAGE}#:~:text=port%207070`);
    expect(liveLink({ url: PAGE })).toBe(PAGE);
    expect(liveLink({ url: null, link: null })).toBeNull();
    expect(liveLink({})).toBeNull();
    expect(liveLink({ url: 'javascript:alert(1)' })).toBeNull();
  });
});

describe('placeLink', () => {
  it("names every quote of one chip's place in one text fragment, once each", () => {
    expect(
      placeLink([
        { url: PAGE, link: `${PAGE}#:~:text=port%207070` },
        { url: PAGE, link: `${PAGE}#:~:text=CRANE_PORT,is%20set.` },
        { url: PAGE, link: `${PAGE}#:~:text=port%207070` },
      ]),
    ).toBe(`${PAGE}#:~:text=port%207070&text=CRANE_PORT,is%20set.`);
  });

  it('falls back to the first link when the items are not all text fragments of one page, and to null for files', () => {
    expect(placeLink([{ url: PAGE, link: `${PAGE}#:~:text=a` }, { url: PAGE }])).toBe(`${PAGE}#:~:text=a`);
    expect(
      placeLink([
        { url: PAGE, link: `${PAGE}#:~:text=a` },
        { url: `${PAGE}2`, link: `${PAGE}2#:~:text=b` },
      ]),
    ).toBe(`${PAGE}#:~:text=a`);
    expect(placeLink([{ url: null, link: null }])).toBeNull();
    expect(placeLink([])).toBeNull();
  });
});
