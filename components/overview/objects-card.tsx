import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Meter } from '@/components/ui/meter';
import { formatCount } from '@/lib/format/number';
import type { OverviewFigures } from '@/lib/query/overview';
import { splitResource } from './figures';
import styles from './overview.module.css';

export interface ObjectsCardProps { objects: OverviewFigures['objects'] }

/**
 * The largest resources by object count: a pile-up (reports, events, leases) is the usual way etcd
 * reaches its quota. Counts come from the census (a `limit=1` LIST per resource, a consistent read);
 * the apiserver's own, polled counts fill in where the census has no figure. Only those are tagged.
 */
export function ObjectsCard({ objects }: ObjectsCardProps) {
  const max = Math.max(1, ...objects.map((o) => o.count));
  const anyMetrics = objects.some((o) => o.source === 'metrics');
  return (
    <Card
      id="objects"
      title="Objects by resource"
      aside={objects.length ? <span>top {objects.length} by count</span> : null}
      testId="objects"
    >
      {objects.length === 0 ? (
        <p className={styles.empty}>No object counts recorded yet. They arrive with the first metrics scrape (the apiserver refreshes them about once a minute).</p>
      ) : (
        <>
          <table className={styles.objects}>
            <thead className="visually-hidden">
              <tr><th scope="col">Resource</th><th scope="col">Share of the largest</th><th scope="col">Objects</th></tr>
            </thead>
            <tbody>
              {objects.map((o) => {
                const { name, group } = splitResource(o.resource);
                return (
                  <tr key={o.resource}>
                    <th scope="row" className={styles.objName} title={o.resource}>
                      <span className={styles.objResource}>{name}</span>
                      {group ? <span className={styles.objGroup}>.{group}</span> : null}
                      {o.source === 'metrics' ? <Badge tone="info" className={styles.censusTag} title="From the apiserver's object-count metric, polled about once a minute: the census could not list this resource">metrics</Badge> : null}
                    </th>
                    <td className={styles.objBar}><Meter ratio={o.count / max} tone="info" size="sm" label={`${o.resource}: share of the largest count`} /></td>
                    <td className={`${styles.objCount} num`}>{formatCount(o.count)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className={styles.footnote}>
            Counted by listing each resource (one-item LISTs) every minute{anyMetrics ? <>; <Badge tone="info">metrics</Badge> from the apiserver&apos;s polled counts where listing gave no figure</> : null}.
          </p>
        </>
      )}
    </Card>
  );
}
