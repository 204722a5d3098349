import type { UserDocument } from '../domain/document.js';
import type { Profile } from '../domain/profile.js';
import type { FileStorage } from '../ports/fileStorage.js';

export interface ProfileView extends Profile {
  /** Short-lived signed URL of the avatar, or null. */
  avatarUrl: string | null;
}

export interface DocumentView extends UserDocument {
  downloadUrl: string | null;
  downloadExpiresAt: Date | null;
}

export interface ViewDeps {
  files: FileStorage;
  downloadUrlTtlS: number;
}

export async function viewProfile(profile: Profile, { files, downloadUrlTtlS }: ViewDeps): Promise<ProfileView> {
  const avatar = profile.avatarObjectKey ? await files.presignGet(profile.avatarObjectKey, { expiresInS: downloadUrlTtlS }) : null;
  return { ...profile, avatarUrl: avatar?.url ?? null };
}

/** Only uploaded documents get a link: an awaiting one has no object behind it yet. */
export async function viewDocument(document: UserDocument, { files, downloadUrlTtlS }: ViewDeps): Promise<DocumentView> {
  if (document.status !== 'uploaded') return { ...document, downloadUrl: null, downloadExpiresAt: null };
  const link = await files.presignGet(document.objectKey, { expiresInS: downloadUrlTtlS });
  return { ...document, downloadUrl: link.url, downloadExpiresAt: link.expiresAt };
}
