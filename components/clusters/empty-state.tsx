import styles from './clusters.module.css';

interface Way { title: string; text: string; commands: string[] }

const WAYS: Way[] = [
  {
    title: 'Record a live cluster',
    text: 'Every context of the kubeconfig is recorded (or the service account, when run in a pod). kube-forensics only reads: a ClusterRole with get, list, watch on * and get on /metrics, /readyz, /livez, /version and /debug/pprof/* is enough.',
    commands: ['KUBECONFIG=$HOME/.kube/config npx kube-forensics serve', 'KF_CONTEXTS=prod-eu,prod-us npx kube-forensics serve   # only these contexts'],
  },
  {
    title: 'Open a recorded bundle',
    text: 'A bundle is a .tar.gz (or a folder) of scrapes, events and profiles captured earlier: an incident to replay, or a demo scenario. The cluster may be long gone.',
    commands: ['npx kube-forensics serve --bundle incident.tar.gz', 'KF_BUNDLES=/srv/a.tar.gz:/srv/b.tar.gz npx kube-forensics serve'],
  },
  {
    title: 'Capture a bundle to share',
    text: 'From any machine that can reach the cluster; open the file anywhere with --bundle.',
    commands: ['npx kube-forensics capture --context prod --duration 10m --out incident.tar.gz'],
  },
];

/** Shown when the server knows no cluster at all: how to add one, precisely. */
export function EmptyState() {
  return (
    <section className={styles.empty} aria-labelledby="empty-title" data-testid="empty-state">
      <h2 id="empty-title" className={styles.emptyTitle}>No clusters yet</h2>
      <p className={styles.emptyLead}>
        kube-forensics finds its clusters when it starts: add a live cluster, a recorded bundle, or both, then restart it.
      </p>
      <ol className={styles.ways}>
        {WAYS.map((w, i) => (
          <li key={w.title} className={styles.way}>
            <span className={styles.wayNum} aria-hidden="true">{i + 1}</span>
            <div className={styles.wayBody}>
              <h3 className={styles.wayTitle}>{w.title}</h3>
              <p className={styles.wayText}>{w.text}</p>
              {w.commands.map((c) => <pre key={c} className={styles.command}><code>{c}</code></pre>)}
            </div>
          </li>
        ))}
      </ol>
      <p className={styles.emptyNote}>
        Settings can also live in a YAML file named by <code>KF_CONFIG</code> (contexts, display names, etcd endpoints, bundles).
        Recordings are kept in <code>KF_DATA_DIR</code> (default <code>./.data</code>).
      </p>
    </section>
  );
}
