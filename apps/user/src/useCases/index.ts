import type { UserSettings } from '../config.js';
import type { FileStorage } from '../ports/fileStorage.js';
import type { UserStore } from '../ports/userStore.js';
import { makeCompleteDocument } from './completeDocument.useCase.js';
import { makeCreateDocument } from './createDocument.useCase.js';
import { makeCreateProfile } from './createProfile.useCase.js';
import { makeDecideVerification } from './decideVerification.useCase.js';
import { makeGetProfile } from './getProfile.useCase.js';
import { makeGetVerificationStatus } from './getVerificationStatus.useCase.js';
import { makeListDocuments } from './listDocuments.useCase.js';
import { makeListProfiles } from './listProfiles.useCase.js';
import { makeListVerificationDecisions } from './listVerificationDecisions.useCase.js';
import { makeUpdateProfile } from './updateProfile.useCase.js';

export interface UserServiceDeps {
  store: UserStore;
  files: FileStorage;
  settings: UserSettings;
}

/** One function per operation, each given only what it needs. */
export function makeUserUseCases({ store, files, settings }: UserServiceDeps) {
  const views = { files, downloadUrlTtlS: settings.downloadUrlTtlS };
  return {
    createProfile: makeCreateProfile({ store, ...views }),
    getProfile: makeGetProfile({ store, ...views }),
    updateProfile: makeUpdateProfile({ store, ...views }),
    listProfiles: makeListProfiles({ store, ...views }),
    getVerificationStatus: makeGetVerificationStatus({ store }),
    decideVerification: makeDecideVerification({ store, ...views }),
    listVerificationDecisions: makeListVerificationDecisions({ store }),
    createDocument: makeCreateDocument({ store, ...views, uploadUrlTtlS: settings.uploadUrlTtlS }),
    completeDocument: makeCompleteDocument({ store, ...views }),
    listDocuments: makeListDocuments({ store, ...views }),
  };
}

export type UserUseCases = ReturnType<typeof makeUserUseCases>;
