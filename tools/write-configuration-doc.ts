// npm run docs:config: writes docs/configuration.md from the settings schema and its descriptions.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EXIT, runCli } from '../cli/run-cli.js';
import { renderConfigurationDoc } from './render-configuration-doc.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

runCli({
  name: 'docs:config',
  usage: 'usage: npm run docs:config\nWrites docs/configuration.md from config/load-config.ts and config/setting-docs.ts.',
  main: async () => {
    await mkdir(`${ROOT}docs`, { recursive: true });
    await writeFile(`${ROOT}docs/configuration.md`, renderConfigurationDoc());
    console.error('wrote docs/configuration.md');
    return EXIT.ok;
  },
});
