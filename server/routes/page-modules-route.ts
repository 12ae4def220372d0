import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Router } from 'express';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Third-party modules the chat page imports, each bundled from node_modules into one ES module.
 * The Markdown parser is `@lezer/markdown` (CodeMirror's): every node of its tree, down to each
 * `*`, `|` and `>`, carries exact source offsets, so the page renders a document by leaving out
 * the syntax marks and can highlight exactly the cited characters. Its package ships three ES
 * modules that import each other by bare name, which a browser cannot resolve without an inline
 * import map (blocked by the page's CSP), so they are bundled here, once, in memory: nothing
 * generated is committed, nothing is fetched from a CDN, and the version is the lockfile's.
 */
const MODULES: Record<string, string> = {
  'lezer-markdown.js': "export { parser, GFM } from '@lezer/markdown';",
};

interface Bundle {
  code: string;
  etag: string;
}

const bundles = new Map<string, Promise<Bundle>>();

function bundle(name: string): Promise<Bundle> {
  let made = bundles.get(name);
  if (!made) {
    made = build({
      stdin: { contents: MODULES[name], resolveDir: ROOT, loader: 'js' },
      bundle: true,
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
    }).then((result) => {
      const code = result.outputFiles[0].text;
      return { code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 16)}"` };
    });
    // A failed build is retried on the next request rather than remembered.
    made.catch(() => bundles.delete(name));
    bundles.set(name, made);
  }
  return made;
}

/** GET /vendor/:name: the page's bundled third-party modules (see MODULES). */
export function pageModulesRoute(): Router {
  const router = Router();
  router.get('/vendor/:name', async (request, response, next) => {
    const name = request.params.name;
    if (!Object.hasOwn(MODULES, name)) return next();
    const { code, etag } = await bundle(name);
    // With the ETag set, send() answers a matching If-None-Match with 304.
    response.set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300', ETag: etag }).send(code);
  });
  return router;
}
