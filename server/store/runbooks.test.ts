import { describe, expect, it } from 'vitest';
import { RunbookStore } from './runbooks';
import { Store } from './store';

describe('runbook runs (migration 3)', () => {
  it('keeps runs per cluster, their inputs, and an append-only step log', () => {
    const store = Store.memory();
    const rb = new RunbookStore(store.db);
    const id = rb.create({ cluster: 'c1', runbook: 'etcd-out-of-space', finding: 'etcd-nospace', by: 'alice', t: 1000, inputs: {} });
    rb.create({ cluster: 'c2', runbook: 'event-storm', by: 'bob', t: 2000, inputs: {} });
    expect(rb.list('c1').map((r) => r.id)).toEqual([id]);
    expect(rb.get('c2', id)).toBeNull(); // another cluster's run is not visible through this one
    rb.setInputs('c1', id, { namespace: 'trading' });
    rb.log(id, { step: 'delete', status: 'done', by: 'alice', t: 1100 });
    rb.log(id, { step: 'delete', status: 'pending', by: 'bob', t: 1200, note: 'undone: wrong namespace' });
    rb.log(id, { step: 'cause', status: 'done', by: 'alice', t: 1300, detail: { goto: 'audit-truncate' } });
    rb.close('c1', id, 1400);
    const run = rb.get('c1', id)!;
    expect(run).toMatchObject({ runbook: 'etcd-out-of-space', finding: 'etcd-nospace', startedBy: 'alice', closedAt: 1400, incidentId: null, inputs: { namespace: 'trading' } });
    expect(rb.history(id).map((h) => [h.step, h.status, h.by])).toEqual([['delete', 'done', 'alice'], ['delete', 'pending', 'bob'], ['cause', 'done', 'alice']]);
    expect(rb.history(id)[2]!.detail).toEqual({ goto: 'audit-truncate' });
    store.close();
  });
});
