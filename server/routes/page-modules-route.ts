import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { Router } from 'express';

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
/** A module name: letters, digits and dashes, so a request can name no file outside the page's folder. */
const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The chat page's scripts, written in TypeScript (server/public/*.ts, type-checked with the rest)
 * and served as ES modules made by esbuild in memory when first asked for: nothing generated is
 * committed and nothing is built before start. Each page module is served alone (its imports
 * stay imports, type-only ones removed); a module under vendor/ is bundled with the third-party
 * packages it re-exports. The Markdown parser is `@lezer/markdown` (CodeMirror's): every node of
 * its tree, down to each `*`, `|` and `>`, carries exact source offsets, so the page renders a
 * document by leaving out the syntax marks and can highlight exactly the cited characters. Its
 * package's modules import each other by bare name, which a browser cannot resolve without an
 * inline import map (blocked by the page's CSP): hence the bundle, at the lockfile's version.
 */
export function pageModulesRoute(): Router {
  const router = Router();
  router.get(['/vendor/:name.js', '/:name.js'], async (request, response, next) => {
    const name = String(request.params.name);
    if (!NAME.test(name)) return next();
    const vendor = request.path.startsWith('/vendor/');
    const file = `${PUBLIC_DIR}${vendor ? 'vendor/' : ''}${name}.ts`;
    const made = await pageModule(file, vendor);
    if (!made) return next();
    // With the ETag set, send() answers a matching If-None-Match with 304.
    response
      .set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300', ETag: made.etag })
      .send(made.code);
  });
  return router;
}

interface PageModule {
  code: string;
  etag: string;
}

/** Made modules by file, each with the modification time it was made from: an edited file is made again. */
const modules = new Map<string, { modified: number; made: Promise<PageModule> }>();

async function pageModule(file: string, bundle: boolean): Promise<PageModule | null> {
  const modified = await stat(file).then(
    (found) => (found.isFile() ? found.mtimeMs : null),
    () => null,
  );
  if (modified === null) return null;
  const known = modules.get(file);
  if (known && known.modified === modified) return known.made;
  const made = build({ ...BUILD, entryPoints: [file], bundle, minify: bundle, write: false }).then((result) => {
    const code = result.outputFiles[0].text;
    return { code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 16)}"` };
  });
  // A failed build is tried again on the next request rather than remembered.
  made.catch(() => modules.delete(file));
  modules.set(file, { modified, made });
  return made;
}

const BUILD: BuildOptions = {
  format: 'esm',
  target: 'es2022',
  logLevel: 'silent',
  legalComments: 'none',
  charset: 'utf8',
};
