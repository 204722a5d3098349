// The subset of a protobuf FileDescriptorSet, as `buf build -o x.json` writes it (proto3
// JSON, lowerCamelCase keys), that the docs renderer reads.

export interface FieldDescriptor {
  name: string;
  number: number;
  label: 'LABEL_OPTIONAL' | 'LABEL_REPEATED' | 'LABEL_REQUIRED';
  type: string;
  typeName?: string;
  oneofIndex?: number;
  proto3Optional?: boolean;
}

export interface MessageDescriptor {
  name: string;
  field?: FieldDescriptor[];
  nestedType?: MessageDescriptor[];
  oneofDecl?: { name: string }[];
  options?: { mapEntry?: boolean };
}

export interface EnumDescriptor {
  name: string;
  value?: { name: string; number?: number }[];
}

export interface MethodDescriptor {
  name: string;
  inputType: string;
  outputType: string;
  clientStreaming?: boolean;
  serverStreaming?: boolean;
}

export interface ServiceDescriptor {
  name: string;
  method?: MethodDescriptor[];
}

export interface FileDescriptor {
  name: string;
  package: string;
  messageType?: MessageDescriptor[];
  enumType?: EnumDescriptor[];
  service?: ServiceDescriptor[];
  sourceCodeInfo?: { location?: { path?: number[]; leadingComments?: string; trailingComments?: string }[] };
}

export interface FileDescriptorSet {
  file: FileDescriptor[];
}

// Field numbers of descriptor.proto, which make up source-code-info paths.
export const PATH = {
  fileMessage: 4,
  fileEnum: 5,
  fileService: 6,
  messageField: 2,
  enumValue: 2,
  serviceMethod: 2,
} as const;

/** Comments of one file keyed by their descriptor path ("4,0,2,1"), each line unindented. */
export function commentsByPath(file: FileDescriptor): Map<string, string> {
  const comments = new Map<string, string>();
  for (const location of file.sourceCodeInfo?.location ?? []) {
    const text = location.leadingComments ?? location.trailingComments;
    if (!location.path || !text) continue;
    const lines = text.split('\n').map((line) => line.replace(/^ /, '').trimEnd());
    comments.set(location.path.join(','), lines.join('\n').trim());
  }
  return comments;
}
