import { describe, expect, it } from 'vitest';
import { loadUserSettings } from './config.js';

describe('user service settings', () => {
  it('replays registrations from the beginning unless told to start at the end, and refuses anything else', () => {
    expect(loadUserSettings({})).toMatchObject({ consumerGroup: 'user-service', consumerStart: 'beginning' });
    expect(loadUserSettings({ USER_EVENTS_START: 'end' }).consumerStart).toBe('end');
    expect(() => loadUserSettings({ USER_EVENTS_START: 'latest' })).toThrow(/USER_EVENTS_START/);
  });
});
