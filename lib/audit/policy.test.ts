import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError, evaluatePolicy, parsePolicy, pathMatches } from './policy';
import type { RequestAttributes } from './policy';
import { SUGGESTED_POLICY } from './suggested-policy';

const req = (over: Partial<RequestAttributes> = {}): RequestAttributes => ({
  user: 'alice', groups: ['system:authenticated'], verb: 'get', resourceRequest: true,
  apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: 'p1', path: '/api/v1/namespaces/default/pods/p1', ...over,
});
const policy = (rules: string, extra = '') => parsePolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${extra}rules:\n${rules}`);
const level = (p: ReturnType<typeof policy>, a: RequestAttributes) => evaluatePolicy(p, a).level;

describe('audit policy evaluation (checker.go semantics)', () => {
  it('first matching rule wins; no match is None', () => {
    const p = policy('- level: Metadata\n  verbs: [get]\n- level: RequestResponse\n  verbs: [get, list]\n');
    expect(evaluatePolicy(p, req())).toMatchObject({ rule: 0, level: 'Metadata' });
    expect(evaluatePolicy(p, req({ verb: 'list' }))).toMatchObject({ rule: 1, level: 'RequestResponse' });
    expect(evaluatePolicy(p, req({ verb: 'delete' }))).toMatchObject({ rule: -1, level: 'None' });
  });

  it('users match the username, userGroups any group', () => {
    const p = policy('- level: None\n  users: [system:kube-proxy]\n- level: Request\n  userGroups: [system:nodes]\n- level: Metadata\n');
    expect(level(p, req({ user: 'system:kube-proxy' }))).toBe('None');
    expect(level(p, req({ groups: ['system:authenticated', 'system:nodes'] }))).toBe('Request');
    expect(level(p, req({ user: 'system:nodes' }))).toBe('Metadata');
  });

  it('resources: exact group, subresources, */sub, res/*, "*", resourceNames', () => {
    const p = policy([
      '- level: None', '  resources: [{group: "", resources: ["pods/log"]}]',
      '- level: Request', '  resources: [{group: "", resources: ["*/status"]}]',
      '- level: RequestResponse', '  resources: [{group: "apps", resources: ["deployments/*"]}]',
      '- level: Metadata', '  resources: [{group: "", resources: ["configmaps"], resourceNames: ["cm1"]}]',
      '- level: Request', '  resources: [{group: "", resources: ["pods"]}]',
      '- level: Metadata', '  resources: [{group: "batch"}]',
      '',
    ].join('\n'));
    expect(level(p, req({ subresource: 'log' }))).toBe('None');
    expect(level(p, req({ subresource: 'status' }))).toBe('Request');
    expect(level(p, req({ resource: 'nodes', subresource: 'status' }))).toBe('Request');
    // A subresource never matches the bare resource name: pods/exec is not "pods".
    expect(level(p, req({ subresource: 'exec' }))).toBe('None');
    expect(evaluatePolicy(p, req({ subresource: 'exec' })).rule).toBe(-1);
    expect(level(p, req({ apiGroup: 'apps', resource: 'deployments' }))).toBe('RequestResponse');
    expect(level(p, req({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }))).toBe('RequestResponse');
    expect(level(p, req({ resource: 'configmaps', name: 'cm1' }))).toBe('Metadata');
    expect(evaluatePolicy(p, req({ resource: 'configmaps', name: 'cm2' })).rule).toBe(-1);
    expect(level(p, req())).toBe('Request');
    expect(level(p, req({ apiGroup: 'batch', resource: 'jobs' }))).toBe('Metadata');
    // The group must match exactly: pods in another group are not core pods.
    expect(evaluatePolicy(p, req({ apiGroup: 'metrics.k8s.io' })).rule).toBe(-1);
  });

  it('"*" matches every resource and subresource, but "*" is not a group wildcard', () => {
    const p = policy('- level: Metadata\n  resources: [{group: "*", resources: ["*"]}]\n- level: Request\n  resources: [{group: "", resources: ["*"]}]\n');
    expect(evaluatePolicy(p, req({ apiGroup: 'apps', resource: 'deployments' })).rule).toBe(-1);
    expect(level(p, req({ subresource: 'log' }))).toBe('Request');
  });

  it('namespaces: "" is cluster scope; a namespaces filter never matches non-resource requests', () => {
    const p = policy('- level: Metadata\n  namespaces: [""]\n- level: Request\n  namespaces: [kube-system]\n');
    expect(level(p, req({ namespace: '', resource: 'nodes' }))).toBe('Metadata');
    expect(level(p, req({ namespace: 'kube-system' }))).toBe('Request');
    expect(evaluatePolicy(p, req({ resourceRequest: false, resource: '', namespace: '', path: '/healthz' })).rule).toBe(-1);
  });

  it('nonResourceURLs: exact, "*" and prefix*; never a resource request', () => {
    const p = policy('- level: None\n  nonResourceURLs: [/healthz*, /version]\n- level: Metadata\n  nonResourceURLs: ["*"]\n- level: Request\n');
    const url = (path: string) => req({ resourceRequest: false, resource: '', path });
    expect(level(p, url('/healthz'))).toBe('None');
    expect(level(p, url('/healthz/etcd'))).toBe('None');
    expect(level(p, url('/version'))).toBe('None');
    expect(level(p, url('/version/x'))).toBe('Metadata');
    expect(level(p, req())).toBe('Request');
    expect(pathMatches('/apis', '/api*')).toBe(true);
  });

  it('policy-level omitStages join each rule\'s; omitManagedFields: rule overrides policy', () => {
    const p = policy('- level: Metadata\n  omitStages: [ResponseStarted]\n  omitManagedFields: false\n- level: Request\n', 'omitStages: [RequestReceived]\nomitManagedFields: true\n');
    expect(evaluatePolicy(p, req()).omitStages.sort()).toEqual(['RequestReceived', 'ResponseStarted']);
    expect(evaluatePolicy(p, req()).omitManagedFields).toBe(false);
    expect(evaluatePolicy(p, req({ user: 'x', verb: 'list' })).omitManagedFields).toBe(false);
    const q = policy('- level: Request\n  verbs: [get]\n', 'omitManagedFields: true\n');
    expect(evaluatePolicy(q, req()).omitManagedFields).toBe(true);
  });

  it('refuses what the apiserver refuses, with every problem named', () => {
    expect(() => parsePolicy('kind: Policy\napiVersion: audit.k8s.io/v1\nrules: []\n')).toThrow(/at least one rule/);
    expect(() => policy('- level: Loud\n')).toThrow(PolicyError);
    expect(() => policy('- level: None\n  nonResourceURLs: [/x]\n  resources: [{group: ""}]\n')).toThrow(/both regular resources and non-resource URLs/);
    expect(() => policy('- level: None\n  nonResourceURLs: [healthz, "/a*b"]\n')).toThrow(/must start with "\/".*only at the end/);
    expect(() => policy('- level: None\n  omitStages: [Sometime]\n')).toThrow(PolicyError);
    expect(() => parsePolicy('kind: Pod\n')).toThrow(/not an audit Policy/);
    expect(() => parsePolicy(': : :\n  - [')).toThrow(/not valid YAML/);
  });

  it('reads v1beta1 policies, the fixture policy and the suggested one', () => {
    expect(parsePolicy('apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n').rules).toHaveLength(1);
    const fixture = parsePolicy(readFileSync(path.resolve(__dirname, '../../testdata/audit/v1.20.2/catchall-policy.yaml'), 'utf8'));
    expect(evaluatePolicy(fixture, req()).level).toBe('RequestResponse');
    const s = parsePolicy(SUGGESTED_POLICY);
    expect(s.omitStages).toEqual(['RequestReceived']);
    expect(level(s, req({ resource: 'secrets', verb: 'get' }))).toBe('Metadata');
    expect(level(s, req({ user: 'system:kube-proxy', verb: 'watch', resource: 'endpoints' }))).toBe('None');
    expect(level(s, req({ resourceRequest: false, resource: '', path: '/readyz' }))).toBe('None');
    expect(level(s, req({ verb: 'list' }))).toBe('Request');
    expect(level(s, req({ verb: 'create' }))).toBe('RequestResponse');
    expect(level(s, req({ apiGroup: 'example.com', resource: 'widgets', verb: 'create' }))).toBe('Metadata');
  });
});
