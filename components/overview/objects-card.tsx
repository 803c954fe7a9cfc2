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
 * reaches its quota. Counts come from the apiserver's metrics; the census fills in the rest.
 */
export function ObjectsCard({ objects }: ObjectsCardProps) {
  const max = Math.max(1, ...objects.map((o) => o.count));
  const anyCensus = objects.some((o) => o.source === 'census');
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
                      {o.source === 'census' ? <Badge tone="info" className={styles.censusTag} title="Counted by the census (a paged LIST), not reported by the apiserver's metrics">census</Badge> : null}
                    </th>
                    <td className={styles.objBar}><Meter ratio={o.count / max} tone="info" size="sm" label={`${o.resource}: share of the largest count`} /></td>
                    <td className={`${styles.objCount} num`}>{formatCount(o.count)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {anyCensus ? <p className={styles.footnote}><Badge tone="info">census</Badge> counted by listing, because the apiserver does not report this resource.</p> : null}
        </>
      )}
    </Card>
  );
}
