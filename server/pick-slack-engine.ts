import type { SlackChannelMap } from '../config/load-collections-file.js';
import type { Engine } from '../core/engine.js';
import type { EngineRegistry } from '../runtime/engine-registry.js';
import type { SlackPlace } from '../slack/register-slack-handlers.js';

/**
 * The engine a Slack question is answered from: the channel's collections from the collections
 * file's `slack:` map (the first when the command names none; channels not listed get
 * `slack.default`), refused with CollectionForbiddenError for any other. Without a map every
 * channel reads every collection, `default` unless the command names one.
 */
export function pickSlackEngine(collections: EngineRegistry, map: SlackChannelMap | undefined): (place: SlackPlace) => Engine {
  return ({ channel, named }) => {
    if (!map) return collections.resolve(named);
    const readable = Object.hasOwn(map.channels, channel) ? map.channels[channel] : map.unlisted;
    return collections.resolve(named, { collections: readable, who: 'This Slack channel' });
  };
}
