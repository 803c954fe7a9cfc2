import { HttpError, withRuntime } from '@/server/api/handler';
import { removeUploadedBundle } from '@/server/bundle/remove';

export const dynamic = 'force-dynamic';

/** Removes an uploaded bundle and everything imported from it. Admins only: it is gone for everyone. */
export const DELETE = withRuntime(async ({ rt, req }) => {
  await rt.ready;
  const id = decodeURIComponent(new URL(req.url).pathname.split('/').pop() ?? '');
  if (!/^bundle-[a-z0-9-]{1,60}$/.test(id)) throw new HttpError(400, 'expected a bundle id (bundle-…)');
  return removeUploadedBundle(rt, id);
}, { role: 'admin' });
