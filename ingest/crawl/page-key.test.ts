import { describe, expect, it } from 'vitest';
import { crawlScope } from './crawl-scope.js';
import { pageDocumentId, pageKey } from './page-key.js';

describe('pageKey', () => {
  it('makes one key of a page linked with or without its trailing slash, fragment, default port or credentials', () => {
    const key = 'https://docs.example.com/guide/install';
    for (const url of [
      'https://docs.example.com/guide/install',
      'https://docs.example.com/guide/install/',
      'https://docs.example.com/guide/install#requirements',
      'HTTPS://Docs.Example.com:443/guide/install',
      'https://user:pass@docs.example.com/guide/install',
    ]) {
      expect(pageKey(url)).toBe(key);
    }
    expect(pageKey('https://docs.example.com/')).toBe('https://docs.example.com/');
    expect(pageKey('https://docs.example.com/search?q=a')).not.toBe(pageKey('https://docs.example.com/search?q=b'));
  });

  it('names a page by its host and path, without the scheme or an empty segment', () => {
    expect(pageDocumentId('https://docs.example.com/guide/install/')).toBe('docs.example.com/guide/install');
    expect(pageDocumentId('https://docs.example.com/')).toBe('docs.example.com');
    expect(pageDocumentId('http://127.0.0.1:8080/docs/?page=2')).toBe('127.0.0.1:8080/docs?page=2');
  });
});

describe('crawlScope', () => {
  const check = (start: string, url: string, include: string[] = [], exclude: string[] = []) =>
    crawlScope(new URL(start), include, exclude).check(new URL(url));

  it('keeps to the start URL origin and folder', () => {
    expect(check('https://d.example/guide/', 'https://d.example/guide/install')).toBeNull();
    expect(check('https://d.example/guide', 'https://d.example/guide/install')).toBeNull();
    expect(check('https://d.example/guide', 'https://d.example/guide')).toBeNull();
    expect(check('https://d.example/guide/intro.html', 'https://d.example/guide/setup.html')).toBeNull();
    expect(check('https://d.example/guide', 'https://d.example/guidelines')).toEqual({ outside: true });
    expect(check('https://d.example/guide/', 'https://d.example/blog/')).toEqual({ outside: true });
    expect(check('https://d.example/guide/', 'http://d.example/guide/install')).toEqual({ outside: true });
    expect(check('https://d.example/guide/', 'https://other.example/guide/install')).toEqual({ outside: true });
  });

  it('narrows to include patterns and leaves out exclude patterns, globs over the path', () => {
    expect(check('https://d.example/', 'https://d.example/api/v2/list', ['/api/v2/**'])).toBeNull();
    expect(check('https://d.example/', 'https://d.example/api/v1/list', ['/api/v2/**'])).toEqual({
      excluded: 'matches no CRAWL_INCLUDE pattern',
    });
    expect(check('https://d.example/', 'https://d.example/', ['/api/v2/**'])).toBeNull();
    expect(check('https://d.example/', 'https://d.example/blog/2024/changelog', [], ['**/changelog*'])).toEqual({
      excluded: 'excluded by the pattern **/changelog* (CRAWL_EXCLUDE)',
    });
  });
});
