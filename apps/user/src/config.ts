import { loadConfig } from '@uitgo/kit';
import { z } from 'zod';

/** Settings of the user service beyond the shared ServiceConfig; every one has a default. */
export const userSettingsSchema = z.object({
  /** How long a presigned upload stays usable. */
  USER_UPLOAD_URL_TTL_S: z.coerce.number().int().min(60).max(3600).default(600),
  /** How long download links (documents, avatars) stay usable: short, as they are bearer secrets. */
  USER_DOWNLOAD_URL_TTL_S: z.coerce.number().int().min(30).max(3600).default(300),
  /** Consumer group on uitgo.identity.v1; only tests sharing a Kafka need another one. */
  USER_EVENTS_CONSUMER_GROUP: z.string().min(1).default('user-service'),
  /**
   * Where that group starts when it has no committed position: `beginning` (every registration
   * the topic still holds gets its profile) or `end` (only what comes next: a test's throwaway
   * group on a Kafka that has held many runs).
   */
  USER_EVENTS_START: z.enum(['beginning', 'end']).default('beginning'),
});

export interface UserSettings {
  uploadUrlTtlS: number;
  downloadUrlTtlS: number;
  consumerGroup: string;
  consumerStart: 'beginning' | 'end';
}

export function loadUserSettings(env: NodeJS.ProcessEnv = process.env): UserSettings {
  const parsed = loadConfig(userSettingsSchema, env);
  return {
    uploadUrlTtlS: parsed.USER_UPLOAD_URL_TTL_S,
    downloadUrlTtlS: parsed.USER_DOWNLOAD_URL_TTL_S,
    consumerGroup: parsed.USER_EVENTS_CONSUMER_GROUP,
    consumerStart: parsed.USER_EVENTS_START,
  };
}
