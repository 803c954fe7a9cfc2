export type { KnownIssue, KnownIssueMatch, KnownIssueSignature, KnownIssueVersionStatus, MatchableStack } from './types';
export { KNOWN_GOROUTINE_ISSUES } from './goroutine-issues';
export { isWaitPlumbing, matchKnownIssues, matchesSignature, topFrameIndex, topFunction, versionStatus } from './match';
export { compareVersions, parseVersion, satisfiesRange } from './version-range';
export type { Version } from './version-range';
