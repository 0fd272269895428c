// module_sig_check with signatures not enforced: a well-formed appended signature is stripped
// (its key is never one we hold, so the module is treated as unsigned and tainted E); a mangled
// one is refused, as the kernel refuses it even without enforcement.
import { EBADMSG } from '../errno.js';
import { LoadError } from './load-error.js';

const MARKER = new TextEncoder().encode('~Module signature appended~\n');
const DESCRIPTOR = 12;
const PKEY_ID_PKCS7 = 2;

/** Returns the image without its signature (or unchanged when unsigned). */
export function stripSignature(bytes: Uint8Array, err: (msg: string) => void): Uint8Array {
  const n = bytes.length;
  if (n <= MARKER.length) return bytes;
  for (let i = 0; i < MARKER.length; i++) if (bytes[n - MARKER.length + i] !== MARKER[i]) return bytes;
  const len = n - MARKER.length;
  if (len < DESCRIPTOR) throw new LoadError(EBADMSG);
  const ms = bytes.subarray(len - DESCRIPTOR, len);
  const sigLen = new DataView(ms.buffer, ms.byteOffset).getUint32(8, false);
  if (sigLen >= len - DESCRIPTOR) throw new LoadError(EBADMSG);
  if (ms[2] !== PKEY_ID_PKCS7) {
    err('module: not signed with expected PKCS#7 message');
    return bytes.subarray(0, len); // ENOPKG: treated as unsigned
  }
  if (ms[0] || ms[1] || ms[3] || ms[4] || ms[5] || ms[6] || ms[7]) {
    err('module: PKCS#7 signature info has unexpected non-zero params');
    throw new LoadError(EBADMSG);
  }
  return bytes.subarray(0, len - DESCRIPTOR - sigLen);
}
