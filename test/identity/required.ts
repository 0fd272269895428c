// The headers trees the identity tests need. CI installs them (.ci/run): the current plain
// flavour (linux-headers-amd64), the PREEMPT_RT flavour (linux-headers-rt-amd64), and an older
// ABI the registry still serves whose CRCs differ (6.1.0-50-amd64). Missing ones fail the tests
// with the package to install, never skip them.
import { installedHeaders } from '../helpers/kbuild.js';

export interface Headers {
  release: string;
  dir: string;
}

const OLD = '6.1.0-50-amd64';

function newest(list: string[]): string | undefined {
  const key = (r: string) => (r.match(/\d+/g) ?? []).map(Number);
  return list.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) if ((ka[i] ?? -1) !== (kb[i] ?? -1)) return (kb[i] ?? -1) - (ka[i] ?? -1);
    return 0;
  })[0];
}

export function requiredHeaders(): { plain: Headers; rt: Headers; old: Headers; extra: Headers[] } {
  const all = installedHeaders();
  const six1 = [...all.keys()].filter((r) => r.startsWith('6.1.0-'));
  const plain = newest(six1.filter((r) => /^6\.1\.0-\d+-amd64$/.test(r) && r !== OLD && r !== '6.1.0-56-amd64')) ?? newest(six1.filter((r) => /^6\.1\.0-\d+-amd64$/.test(r) && r !== OLD));
  const rt = newest(six1.filter((r) => r.endsWith('-rt-amd64')));
  const missing: string[] = [];
  if (!plain) missing.push('linux-headers-amd64');
  if (!rt) missing.push('linux-headers-rt-amd64');
  if (!all.has(OLD)) missing.push(`linux-headers-${OLD}`);
  if (missing.length) throw new Error(`identity tests need kernel headers: apt-get install ${missing.join(' ')}`);
  const h = (r: string): Headers => ({ release: r, dir: all.get(r)! });
  // Other releases installed here (e.g. 6.12 from bookworm's backports), tested when present.
  const extra = [...all.keys()].filter((r) => r !== plain && r !== rt && r !== OLD && !r.startsWith('6.1.0-56-')).map(h);
  return { plain: h(plain!), rt: h(rt!), old: h(OLD), extra };
}
