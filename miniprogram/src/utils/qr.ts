/**
 * QR codes drawn without a canvas: qrcode-generator builds the modules and encodes them as a
 * GIF data URL that an <image> shows (so the page renders the same in tests and screenshots).
 */
import qrcode = require('qrcode-generator');

/** A scannable QR image of `text` (pickup code, member code); error correction M. */
export function qrDataUrl(text: string, cellSize = 6): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return qr.createDataURL(cellSize, cellSize * 4);
}
