import { describe, expect, it } from 'vitest';
import { encodeTerm, textFragmentLink } from './text-fragment-link.js';

const URL = 'https://docs.example.com/guide/install';
const link = (text: string, quote: string) => {
  const start = text.indexOf(quote);
  expect(start).toBeGreaterThanOrEqual(0);
  return textFragmentLink(URL, quote, text.slice(0, start));
};

describe('textFragmentLink', () => {
  it('names a short quote on one line whole, percent-encoded', () => {
    const text = 'Install\n\nRun npm install to get started.';
    expect(link(text, 'Run npm install to get started.')).toBe(`${URL}#:~:text=Run%20npm%20install%20to%20get%20started.`);
  });

  it('encodes the characters that delimit a directive: - & ,', () => {
    expect(encodeTerm('read-only, fast & small')).toBe('read%2Donly%2C%20fast%20%26%20small');
    const text = 'Mode: read-only, fast & small.';
    expect(link(text, text)).toBe(`${URL}#:~:text=Mode%3A%20read%2Donly%2C%20fast%20%26%20small.`);
  });

  it('names a long quote by its first and last five words', () => {
    const quote = 'The server keeps every index generation until a newer one has loaded, then removes the older ones.';
    expect(link(quote, quote)).toBe(`${URL}#:~:text=The%20server%20keeps%20every%20index,then%20removes%20the%20older%20ones.`);
  });

  it('names a quote across blocks by the first words of its first line and the last of its last', () => {
    const text = 'Limits\n\nThe crane lifts 65 tonnes.\n\nWind over 20 m/s stops every lift at once.';
    const quote = 'The crane lifts 65 tonnes.\n\nWind over 20 m/s stops every lift at once.';
    expect(link(text, quote)).toBe(`${URL}#:~:text=The%20crane%20lifts%2065%20tonnes.,stops%20every%20lift%20at%20once.`);
  });

  it('splits a table row at its cells, as the page shows them', () => {
    const text = 'Gantry A | 65 tonnes | 52 metres';
    expect(link(text, text)).toBe(`${URL}#:~:text=Gantry%20A,52%20metres`);
  });

  it('adds the words just before the quote when its first words occur earlier', () => {
    const text =
      'Port 7070 is the default. Set the port to 8080 for tests. Port 7070 is the default unless PORT is set in the environment.';
    const start = text.lastIndexOf('Port 7070');
    const fragment = textFragmentLink(URL, text.slice(start), text.slice(0, start)).split('#:~:text=')[1];
    expect(fragment).toBe('8080%20for%20tests.-,Port%207070%20is%20the%20default,is%20set%20in%20the%20environment.');
    // The first occurrence needs no prefix.
    expect(textFragmentLink(URL, text.slice(0, 25), '')).toBe(`${URL}#:~:text=Port%207070%20is%20the%20default.`);
  });

  it('replaces a fragment the URL already has', () => {
    expect(textFragmentLink(`${URL}#setup`, 'Some words.', '')).toBe(`${URL}#:~:text=Some%20words.`);
  });
});
