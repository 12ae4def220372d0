import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('gives the offline defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, EMBEDDINGS: 'local', ANSWER_MODE: 'extractive', TOP_K: 5, CHUNK_SIZE: 1000, CHUNK_OVERLAP: 200, API_KEYS: [] });
  });

  it('defaults to generative answers when an OpenAI key is set', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).ANSWER_MODE).toBe('generative');
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', ANSWER_MODE: 'extractive' }).ANSWER_MODE).toBe('extractive');
  });

  it('names each invalid variable and what it accepts', () => {
    expect(() => loadConfig({ PORT: 'eighty', EMBEDDINGS: 'bert' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', EMBEDDINGS: 'bert', OPENAI_BASE_URL: 'not a url' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT="eighty": must be a whole number');
      expect(message).toContain('EMBEDDINGS="bert": must be local or openai');
      expect(message).toContain('OPENAI_BASE_URL="not a url": must be a URL');
    }
  });

  it('rejects settings that cannot work together', () => {
    expect(() => loadConfig({ ANSWER_MODE: 'generative' })).toThrow(/ANSWER_MODE=generative needs OPENAI_API_KEY/);
    expect(() => loadConfig({ EMBEDDINGS: 'openai' })).toThrow(/EMBEDDINGS=openai needs OPENAI_API_KEY/);
    expect(() => loadConfig({ CHUNK_SIZE: '300', CHUNK_OVERLAP: '300' })).toThrow(/CHUNK_OVERLAP=300: must be smaller than CHUNK_SIZE/);
  });

  it('splits comma-separated lists', () => {
    expect(loadConfig({ API_KEYS: ' a, b ,,c' }).API_KEYS).toEqual(['a', 'b', 'c']);
  });
});
