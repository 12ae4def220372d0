import { ConfigError } from './config-error.js';
import type { CollectionsFile } from './load-collections-file.js';
import type { Config } from './load-config.js';

/**
 * Refuses settings that name a collection the server does not have: a scoped API key (named by
 * its place in API_KEYS, never by its value) or a Slack channel. A typo there would otherwise lock
 * a key or a channel out, or, worse, be noticed only when someone is refused.
 */
export function checkCollectionReferences(known: readonly string[], config: Config, file: CollectionsFile | undefined): void {
  const problems: string[] = [];
  const unknown = (names: readonly string[]) => names.filter((name) => !known.includes(name));
  config.API_KEYS.forEach((key, i) => {
    for (const name of unknown(key.collections ?? [])) {
      problems.push(`  API_KEYS entry ${i + 1} names the collection "${name}", which this server does not have`);
    }
  });
  const slack = file?.slack;
  if (slack) {
    for (const name of unknown(slack.unlisted))
      problems.push(`  slack.default (${slack.at.default}) names the collection "${name}", which this server does not have`);
    for (const [channel, names] of Object.entries(slack.channels)) {
      for (const name of unknown(names)) {
        problems.push(`  slack.channels.${channel} (${slack.at[channel]}) names the collection "${name}", which this server does not have`);
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}\n  Collections: ${known.join(', ')}.`);
  }
}
