import { describe, expect, it } from 'vitest';
import { PANELS } from '../timeline/panels';
import { WAR_ROOM_PANELS, warRoomPanels } from './panels';

describe('war room panels', () => {
  it('the usual six without findings, all real panels', () => {
    expect(warRoomPanels([])).toEqual(WAR_ROOM_PANELS);
    for (const id of WAR_ROOM_PANELS) expect(PANELS.some((p) => p.id === id), id).toBe(true);
  });
  it('a linked finding\'s own panel comes first, without duplicates, still six', () => {
    expect(warRoomPanels([{ detector: 'etcd-commit-slow' }])).toEqual(['etcd-backend-commit', ...WAR_ROOM_PANELS.slice(0, 5)]);
    expect(warRoomPanels([{ detector: 'etcd-fsync-slow' }])[0]).toBe('etcd-wal-fsync');
    expect(warRoomPanels([{ detector: 'etcd-fsync-slow' }])).toHaveLength(6);
    expect(warRoomPanels([{ detector: 'no-such-detector' }])).toEqual(WAR_ROOM_PANELS);
  });
});
