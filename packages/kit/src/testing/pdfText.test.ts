import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfText } from './pdfText.js';

const stream = (content: string, flate: boolean) => {
  const body = flate ? deflateSync(Buffer.from(content, 'latin1')) : Buffer.from(content, 'latin1');
  const dict = `<<\n${flate ? '/Filter /FlateDecode\n' : ''}/Length ${body.length}\n>>\nstream\n`;
  return Buffer.concat([Buffer.from(dict, 'latin1'), body, Buffer.from('\nendstream\n', 'latin1')]);
};

describe('pdfText', () => {
  it('reads the strings drawn in compressed and plain content streams, in order', () => {
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n1 0 obj\n'),
      stream('BT /F1 11 Tf <447269766572> Tj T* ET\nBT <4E677579 656E> Tj ET', true),
      Buffer.from('2 0 obj\n'),
      stream('BT (Plate \\(51F\\)\\051 caf\\351) Tj ET', false),
      Buffer.from('3 0 obj\n<< /Title <FEFF0041> >>\n%%EOF'),
    ]);
    expect(pdfText(pdf)).toEqual(['Driver', 'Nguyen', 'Plate (51F)) café']);
  });
});
