// A tiny baseline JPEG encoder for flat-colour artwork: one 8×8 block per component carrying only a DC
// value, so the whole file is ~170 bytes yet decodes in any viewer. Used for album art and webhook thumbs.

const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]; // the standard luminance DC table
const DC_CODES: [number, number][] = (() => {
  // Canonical Huffman codes for categories 0–11, derived from the counts above.
  const codes: [number, number][] = [];
  let code = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < DC_COUNTS[len - 1]; i++) codes.push([code++, len]);
    code <<= 1;
  }
  return codes;
})();

class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish(): number[] {
    while (this.n !== 0) this.write(1, 1); // pad with ones
    return this.bytes;
  }
}

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

export function solidJpeg(r: number, g: number, b: number): Buffer {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  const quant = 8; // with a flat block, DC = 8·(v−128); dividing by 8 keeps it within category 8
  const bits = new BitWriter();
  for (const v of [y, cb, cr]) {
    const dc = Math.max(-127, Math.min(127, Math.round(v - 128))); // each component has its own predictor, starting at 0
    const magnitude = Math.abs(dc);
    const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
    const [code, len] = DC_CODES[category];
    bits.write(code, len);
    if (category > 0) bits.write(dc > 0 ? dc : (dc - 1) & ((1 << category) - 1), category);
    bits.write(0, 1); // end of block: the one AC symbol, code "0"
  }
  const out = [
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    ...segment(0xdb, [0x00, ...new Array(64).fill(quant)]),
    ...segment(0xc0, [0x08, 0x00, 0x08, 0x00, 0x08, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00]),
    ...segment(0xc4, [0x00, ...DC_COUNTS, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    ...segment(0xc4, [0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]),
    ...segment(0xda, [0x03, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x3f, 0x00]),
    ...bits.finish(),
    0xff,
    0xd9,
  ];
  return Buffer.from(out);
}

/** A stable colour per ratingKey, so each album's art differs. */
export function artworkFor(ratingKey: string): Buffer {
  let h = 2166136261;
  for (const c of ratingKey) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return solidJpeg(h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff);
}
