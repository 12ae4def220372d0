import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from './markdown-to-mrkdwn.js';

// Slack's formatting rules (docs.slack.dev, "Formatting text for app surfaces"): links are
// <url|text>, bold *x*, italic _x_, strike ~x~, code `x` and ``` blocks (no language), quotes "> ",
// lists are plain text; &, < and > are control characters and must be escaped as &amp; &lt; &gt;.
describe('markdownToMrkdwn', () => {
  it('writes links as <url|text>, web and mail addresses only', () => {
    expect(markdownToMrkdwn('See [the API docs](https://example.com/api?a=1&b=2) [1].')).toBe(
      'See <https://example.com/api?a=1&amp;b=2|the API docs> [1].',
    );
    expect(markdownToMrkdwn('Mail [us](mailto:team@example.com), or read <https://example.com>.')).toBe(
      'Mail <mailto:team@example.com|us>, or read <https://example.com>.',
    );
    expect(markdownToMrkdwn('[relative](docs/guide.md) and [bad](javascript:alert(1))')).toBe('relative and bad');
    expect(markdownToMrkdwn('Read [the docs][docs].\n\n[docs]: https://example.com/docs')).toBe(
      'Read <https://example.com/docs|the docs>.',
    );
    expect(markdownToMrkdwn('[a | b](https://example.com/x|y)')).toBe('<https://example.com/x%7Cy|a ∣ b>');
  });

  it('writes fences without their language, the code escaped and kept line for line', () => {
    expect(markdownToMrkdwn('Install it:\n\n```javascript\nif (a < b && c > d) {\n  run();\n}\n```')).toBe(
      'Install it:\n\n```\nif (a &lt; b &amp;&amp; c &gt; d) {\n  run();\n}\n```',
    );
    expect(markdownToMrkdwn('Use `a<b` inline.')).toBe('Use `a&lt;b` inline.');
  });

  it('writes emphasis, headings and lists as Slack shows them', () => {
    expect(markdownToMrkdwn('**Bold**, *italic*, _also italic_ and ~~gone~~.')).toBe('*Bold*, _italic_, _also italic_ and ~gone~.');
    expect(markdownToMrkdwn('## Options\n\nText.')).toBe('*Options*\n\nText.');
    expect(markdownToMrkdwn('- one\n- two\n  - nested\n\n3. third\n4. fourth')).toBe('• one\n• two\n    • nested\n\n3. third\n4. fourth');
    expect(markdownToMrkdwn('> quoted *words*\n> on two lines')).toBe('> quoted _words_\n> on two lines');
  });

  it('escapes &, < and > everywhere, so no text can format, link or mention', () => {
    expect(markdownToMrkdwn('Tom & Jerry: 5 > 3 < 4')).toBe('Tom &amp; Jerry: 5 &gt; 3 &lt; 4');
    expect(markdownToMrkdwn('Ping <!channel> and <@U123>')).toBe('Ping &lt;!channel&gt; and &lt;@U123&gt;');
    expect(markdownToMrkdwn('Already &lt;escaped&gt; &amp; decoded')).toBe('Already &lt;escaped&gt; &amp; decoded');
  });

  it('leaves out HTML tags and comments, badges becoming their words', () => {
    expect(markdownToMrkdwn('<!-- prettier-ignore -->\nA <b>bold</b> claim.')).toBe('A bold claim.');
    expect(markdownToMrkdwn('<p align="center"><img src="logo.png"></p>\n\nAfter.')).toBe('After.');
    expect(markdownToMrkdwn('[![Build Status](https://ci.example.com/b.svg)](https://ci.example.com)')).toBe(
      '<https://ci.example.com|Build Status>',
    );
    expect(markdownToMrkdwn('| Option | Default |\n| --- | --- |\n| `strict` | `false` |')).toBe('Option | Default\n`strict` | `false`');
  });
});
