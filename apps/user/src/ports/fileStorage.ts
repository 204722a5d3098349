import type { ObjectStore } from '@uitgo/kit/objects';

/** The part of the kit's object store (S3 or local directory) the user service uses. */
export type FileStorage = Pick<ObjectStore, 'presignPut' | 'presignGet' | 'head'>;
