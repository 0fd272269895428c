export * from './identity.js';
export { bundledIdentity, BUNDLED_RELEASE, isBundled } from './bundled.js';
export { chooseIdentity, newestHeaders, type ChooseOptions } from './choose.js';
export { readHeaders, isHeadersTree, headersRelease } from './headers.js';
export { IdentityError, probeBuild, cacheRoot } from './probe.js';
export type { ProbeFacts, ProbeKey } from './probe-fields.js';
