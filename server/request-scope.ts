import type { Response } from 'express';
import { EVERY_COLLECTION, type CollectionScope } from '../runtime/engine-registry.js';

/** The collections a request's API key may read (server/guard-api.ts set them); every one without keys or a list. */
export function scopeOf(response: Response): CollectionScope {
  return (response.locals.scope as CollectionScope | undefined) ?? EVERY_COLLECTION;
}
