// TLS material for the test control plane, made with openssl (Debian's `openssl` package):
// a CA, serving certs for etcd and kube-apiserver, client certs (admin in system:masters, the
// apiserver's etcd client, the controller-manager and the scheduler), and the service-account key pair.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface CertSet {
  dir: string;
  caCert: string;
  caKey: string;
  etcdServerCert: string;
  etcdServerKey: string;
  etcdClientCert: string;
  etcdClientKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  kcmCert: string;
  kcmKey: string;
  schedulerCert: string;
  schedulerKey: string;
  viewerCert: string;
  viewerKey: string;
  saKey: string;
  saPub: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(dir: string, name: string, subject: string, ext: string): void {
  const cnf = path.join(dir, `${name}.ext`);
  fs.writeFileSync(cnf, ext);
  openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '30', '-sha256', '-extfile', cnf],
    dir,
  );
  fs.rmSync(path.join(dir, `${name}.csr`));
  fs.rmSync(cnf);
}

const serverExt = (sans: string) =>
  `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${sans}\n`;
const clientExt = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';

/** Makes (or reuses) the full certificate set in `dir`. Keys are written 0600. */
export function ensureCerts(dir: string, advertiseAddress: string): CertSet {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => path.join(dir, f);
  const set: CertSet = {
    dir,
    caCert: p('ca.crt'), caKey: p('ca.key'),
    etcdServerCert: p('etcd-server.crt'), etcdServerKey: p('etcd-server.key'),
    etcdClientCert: p('etcd-client.crt'), etcdClientKey: p('etcd-client.key'),
    apiserverCert: p('apiserver.crt'), apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'), adminKey: p('admin.key'),
    kcmCert: p('kcm.crt'), kcmKey: p('kcm.key'),
    schedulerCert: p('scheduler.crt'), schedulerKey: p('scheduler.key'),
    viewerCert: p('viewer.crt'), viewerKey: p('viewer.key'),
    saKey: p('sa.key'), saPub: p('sa.pub'),
  };
  if (fs.existsSync(set.viewerCert) && fs.existsSync(set.saPub)) return set;

  openssl(['genrsa', '-out', 'ca.key', '2048'], dir);
  openssl(['req', '-x509', '-new', '-nodes', '-key', 'ca.key', '-subj', '/CN=kube-forensics-test-ca', '-days', '30', '-out', 'ca.crt'], dir);
  issue(dir, 'etcd-server', '/CN=etcd', serverExt('IP:127.0.0.1,DNS:localhost'));
  issue(dir, 'etcd-client', '/CN=kube-apiserver-etcd-client', clientExt);
  issue(
    dir, 'apiserver', '/CN=kube-apiserver',
    serverExt(`IP:127.0.0.1,IP:${advertiseAddress},IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`),
  );
  issue(dir, 'admin', '/O=system:masters/CN=kubernetes-admin', clientExt);
  issue(dir, 'kcm', '/CN=system:kube-controller-manager', clientExt);
  issue(dir, 'scheduler', '/CN=system:kube-scheduler', clientExt);
  // The dashboard's own identity in tests: bound to a read-only ClusterRole after start-up, so the
  // "read-only toward clusters" promise is enforced by the apiserver too, not only by our code.
  issue(dir, 'viewer', '/O=kube-forensics:viewers/CN=kube-forensics', clientExt);
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.key')) fs.chmodSync(path.join(dir, f), 0o600);
  return set;
}

/**
 * A serving certificate signed by the set's CA for another server the tests stand up (the
 * Prometheus proxy): `<name>.crt` and `<name>.key` (0600) in `dir`.
 */
export function issueServingCert(set: CertSet, dir: string, name: string, sans = 'IP:127.0.0.1,DNS:localhost'): { cert: string; key: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const cnf = path.join(dir, `${name}.ext`);
  fs.writeFileSync(cnf, serverExt(sans));
  openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', set.caCert, '-CAkey', set.caKey, '-CAcreateserial', '-CAserial', path.join(dir, `${name}.srl`),
    '-out', `${name}.crt`, '-days', '30', '-sha256', '-extfile', cnf], dir);
  fs.rmSync(path.join(dir, `${name}.csr`));
  fs.rmSync(cnf);
  fs.chmodSync(path.join(dir, `${name}.key`), 0o600);
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}

export function kubeconfigYaml(opts: { server: string; caCert: string; cert: string; key: string; user: string; context: string }): string {
  const b64 = (f: string) => fs.readFileSync(f).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: ${opts.context}
  cluster:
    server: ${opts.server}
    certificate-authority-data: ${b64(opts.caCert)}
users:
- name: ${opts.user}
  user:
    client-certificate-data: ${b64(opts.cert)}
    client-key-data: ${b64(opts.key)}
contexts:
- name: ${opts.context}
  context:
    cluster: ${opts.context}
    user: ${opts.user}
current-context: ${opts.context}
`;
}
