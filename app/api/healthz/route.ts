import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';
/** Liveness of kube-forensics itself (never touches a cluster). */
export function GET(): Response { return NextResponse.json({ ok: true }); }
