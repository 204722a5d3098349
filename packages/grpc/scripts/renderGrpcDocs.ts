// Renders a FileDescriptorSet as one Markdown reference: per proto package its services
// (each RPC with its comment, which lists the status codes it returns), messages and enums.
import {
  commentsByPath,
  PATH,
  type FieldDescriptor,
  type FileDescriptor,
  type FileDescriptorSet,
  type MessageDescriptor,
} from './descriptorSet.js';

const SCALARS: Record<string, string> = {
  TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64',
  TYPE_INT32: 'int32', TYPE_FIXED64: 'fixed64', TYPE_FIXED32: 'fixed32', TYPE_BOOL: 'bool',
  TYPE_STRING: 'string', TYPE_BYTES: 'bytes', TYPE_UINT32: 'uint32', TYPE_SFIXED32: 'sfixed32',
  TYPE_SFIXED64: 'sfixed64', TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64',
};

const HEADER = `# gRPC API reference

Generated from \`protos/\` by \`pnpm --filter @uitgo/grpc run docs\` (also part of
\`pnpm codegen\`); do not edit by hand. int64 fields are JavaScript numbers in
\`@uitgo/grpc\` and \`google.protobuf.Timestamp\` fields are \`Date\`s.

- The caller's identity travels in request metadata (\`x-uitgo-caller\`, set by the gateway
  from a verified token; see \`@uitgo/kit\`), with the trace id in \`x-trace-id\`. Fields that
  name who acts are explicit only where a service acts for someone else, as each service's
  comment says.
- Errors are a gRPC status plus an error code from the \`@uitgo/contracts\` catalogue, carried
  in the \`uitgo-error\` trailer. Each RPC's comment lists the statuses and codes it returns.
`;

export function renderGrpcDocs(set: FileDescriptorSet, includeFile: (name: string) => boolean): string {
  const files = set.file.filter((file) => includeFile(file.name));
  const mapEntries = collectMapEntries(set.file);
  const packages = [...new Set(files.map((file) => file.package))].sort();
  const sections = packages.map((pkg) =>
    renderPackage(pkg, files.filter((file) => file.package === pkg).sort(byName), mapEntries),
  );
  const contents = packages.map((pkg) => `- [${pkg}](#${anchor(pkg)})`).join('\n');
  return `${HEADER}\n## Packages\n\n${contents}\n\n${sections.join('\n')}`;
}

function renderPackage(pkg: string, files: FileDescriptor[], maps: Map<string, MessageDescriptor>): string {
  const parts = [`<a id="${anchor(pkg)}"></a>\n\n## ${pkg}\n\nFiles: ${files.map((f) => `\`${f.name}\``).join(', ')}\n`];
  for (const file of files) {
    const comments = commentsByPath(file);
    (file.service ?? []).forEach((service, s) => {
      parts.push(heading(3, `${pkg}.${service.name}`, service.name, comments.get(`${PATH.fileService},${s}`)));
      (service.method ?? []).forEach((method, m) => {
        const input = `${method.clientStreaming ? 'stream ' : ''}${typeLink(method.inputType)}`;
        const output = `${method.serverStreaming ? 'stream ' : ''}${typeLink(method.outputType)}`;
        const comment = comments.get(`${PATH.fileService},${s},${PATH.serviceMethod},${m}`);
        parts.push(`#### ${method.name}\n\n${input} → ${output}\n${paragraph(comment)}`);
      });
    });
  }
  for (const file of files) {
    const comments = commentsByPath(file);
    (file.messageType ?? []).forEach((message, i) => {
      parts.push(renderMessage(pkg, message, `${PATH.fileMessage},${i}`, comments, maps));
    });
    (file.enumType ?? []).forEach((enumType, i) => {
      const path = `${PATH.fileEnum},${i}`;
      const rows = (enumType.value ?? []).map((value, v) =>
        `| \`${value.name}\` | ${value.number ?? 0} | ${cell(comments.get(`${path},${PATH.enumValue},${v}`))} |`,
      );
      const table = ['| value | number | description |', '|---|---|---|', ...rows].join('\n');
      parts.push(`${heading(3, `${pkg}.${enumType.name}`, `enum ${enumType.name}`, comments.get(path))}\n${table}\n`);
    });
  }
  return parts.join('\n');
}

function renderMessage(
  pkg: string,
  message: MessageDescriptor,
  path: string,
  comments: Map<string, string>,
  maps: Map<string, MessageDescriptor>,
): string {
  const title = heading(3, `${pkg}.${message.name}`, message.name, comments.get(path));
  const fields = message.field ?? [];
  if (fields.length === 0) return `${title}\nNo fields.\n`;
  const rows = fields.map((field, f) => {
    const oneof = field.oneofIndex !== undefined && !field.proto3Optional ? message.oneofDecl?.[field.oneofIndex]?.name : undefined;
    const label = oneof ? `oneof \`${oneof}\`` : field.proto3Optional ? 'optional' : '';
    const description = cell(comments.get(`${path},${PATH.messageField},${f}`));
    return `| \`${field.name}\` | ${fieldType(field, maps)} | ${field.number} | ${label} | ${description} |`;
  });
  return `${title}\n${['| field | type | number | label | description |', '|---|---|---|---|---|', ...rows].join('\n')}\n`;
}

function fieldType(field: FieldDescriptor, maps: Map<string, MessageDescriptor>): string {
  const entry = field.typeName ? maps.get(field.typeName) : undefined;
  if (entry) {
    const [key, value] = entry.field ?? [];
    if (!key || !value) return '`map`';
    const keyType = SCALARS[key.type] ?? key.type;
    return value.typeName ? `map<${keyType}, ${typeLink(value.typeName)}>` : `\`map<${keyType}, ${SCALARS[value.type]}>\``;
  }
  const base = field.typeName ? typeLink(field.typeName) : `\`${SCALARS[field.type] ?? field.type}\``;
  return field.label === 'LABEL_REPEATED' ? `repeated ${base}` : base;
}

/** Map fields are synthetic nested `XxxEntry` messages; find them by full name. */
function collectMapEntries(files: FileDescriptor[]): Map<string, MessageDescriptor> {
  const entries = new Map<string, MessageDescriptor>();
  const visit = (prefix: string, message: MessageDescriptor): void => {
    const name = `${prefix}.${message.name}`;
    if (message.options?.mapEntry) entries.set(name, message);
    for (const nested of message.nestedType ?? []) visit(name, nested);
  };
  for (const file of files) for (const message of file.messageType ?? []) visit(`.${file.package}`, message);
  return entries;
}

function typeLink(typeName: string): string {
  const name = typeName.replace(/^\./, '');
  if (name.startsWith('google.protobuf.')) return `\`${name}\``;
  return `[${name.split('.').pop()}](#${anchor(name)})`;
}

function heading(level: number, id: string, text: string, comment: string | undefined): string {
  return `<a id="${anchor(id)}"></a>\n\n${'#'.repeat(level)} ${text}\n${paragraph(comment)}`;
}

function paragraph(comment: string | undefined): string {
  return comment ? `\n${comment}\n` : '';
}

function cell(comment: string | undefined): string {
  return (comment ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function anchor(fullName: string): string {
  return fullName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function byName(a: FileDescriptor, b: FileDescriptor): number {
  return a.name.localeCompare(b.name);
}
