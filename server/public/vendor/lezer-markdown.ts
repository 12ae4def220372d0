// The page's Markdown parser, bundled from node_modules by server/routes/page-modules-route.ts.
export { GFM, parser } from '@lezer/markdown';
