// Writes docs/grpc.md from protos/: `buf build` yields a FileDescriptorSet as JSON with
// source comments (no protoc-gen-doc needed), which renderGrpcDocs turns into Markdown.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileDescriptorSet } from './descriptorSet.js';
import { renderGrpcDocs } from './renderGrpcDocs.js';

const packageDir = resolve(fileURLToPath(import.meta.url), '../..');
const repoRoot = resolve(packageDir, '../..');
const buf = join(packageDir, 'node_modules/.bin/buf');
const output = join(repoRoot, 'docs/grpc.md');

const workDir = mkdtempSync(join(tmpdir(), 'uitgo-grpc-docs-'));
try {
  const imageFile = join(workDir, 'image.json');
  execFileSync(buf, ['build', join(repoRoot, 'protos'), '-o', imageFile], { stdio: 'inherit' });
  const set = JSON.parse(readFileSync(imageFile, 'utf8')) as FileDescriptorSet;
  writeFileSync(output, renderGrpcDocs(set, (name) => name.startsWith('uitgo/')));
  process.stdout.write(`wrote ${output}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
