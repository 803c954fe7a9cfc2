import 'server-only';

/**
 * Schema migrations, applied in order; never edit a released entry, append a new one.
 * Times are milliseconds since the epoch (INTEGER), values REAL.
 */
export const MIGRATIONS: string[] = [
  // 1: clusters, recorded series and samples, scrape outcomes, raw scrapes, health, snapshots,
  //    events archive, captured artifacts, recorder state.
  `
  CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    server TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );

  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    labels TEXT NOT NULL,
    UNIQUE (cluster_id, name, labels)
  );

  CREATE TABLE samples (
    series_id INTEGER NOT NULL,
    t INTEGER NOT NULL,
    v REAL NOT NULL,
    PRIMARY KEY (series_id, t)
  ) WITHOUT ROWID;
  CREATE INDEX samples_t ON samples (t);

  CREATE TABLE scrapes (
    cluster_id TEXT NOT NULL,
    component TEXT NOT NULL,
    t INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    samples INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    PRIMARY KEY (cluster_id, component, t)
  ) WITHOUT ROWID;

  CREATE TABLE raw_scrapes (
    cluster_id TEXT NOT NULL,
    component TEXT NOT NULL,
    t INTEGER NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (cluster_id, component, t)
  ) WITHOUT ROWID;

  CREATE TABLE health (
    cluster_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    t INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    http_status INTEGER NOT NULL,
    checks TEXT NOT NULL,
    PRIMARY KEY (cluster_id, endpoint, t)
  ) WITHOUT ROWID;

  CREATE TABLE snapshots (
    cluster_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    t INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (cluster_id, kind, t)
  ) WITHOUT ROWID;

  CREATE TABLE events (
    cluster_id TEXT NOT NULL,
    uid TEXT NOT NULL,
    api TEXT NOT NULL,
    namespace TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT '',
    component TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    first_ts INTEGER NOT NULL,
    last_ts INTEGER NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    resource_version TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    PRIMARY KEY (cluster_id, uid)
  ) WITHOUT ROWID;
  CREATE INDEX events_last ON events (cluster_id, last_ts);

  CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    component TEXT NOT NULL,
    t INTEGER NOT NULL,
    size INTEGER NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    body BLOB NOT NULL
  );
  CREATE INDEX artifacts_cluster_t ON artifacts (cluster_id, t);

  CREATE TABLE recorder_state (
    cluster_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (cluster_id, key)
  ) WITHOUT ROWID;
  `,
  // 2: compacted sample chunks. Recent samples stay one row each (cheap, crash-safe appends); older
  //    ones are packed per series into 2-hour chunks, so a 7-day read is ~84 blobs per series
  //    instead of 40,320 rows (SQLite costs about 1 µs per row read).
  `
  CREATE TABLE chunks (
    series_id INTEGER NOT NULL,
    t0 INTEGER NOT NULL,
    t1 INTEGER NOT NULL,
    n INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (series_id, t0)
  ) WITHOUT ROWID;
  CREATE INDEX chunks_t1 ON chunks (t1);
  `,
  // 3: events archive queries (the events page, GET …/events). Rows newest first and the one-pass
  //    strip/storm/facet aggregate read one covering index over the range (no table lookups); the
  //    exact-match filters each get an index led by their column, so a narrow filter over 100k
  //    archived events reads only its matches.
  `
  DROP INDEX events_last;
  CREATE INDEX events_time ON events (cluster_id, last_ts, type, reason, kind, namespace, name, component, count);
  CREATE INDEX events_reason ON events (cluster_id, reason, last_ts);
  CREATE INDEX events_namespace ON events (cluster_id, namespace, last_ts);
  CREATE INDEX events_object ON events (cluster_id, kind, name, last_ts);
  CREATE INDEX events_component ON events (cluster_id, component, last_ts);
  `,
  // 4: audit logs (server/audit/). One row per ingested source (upload, followed path, bundle file);
  //    per-minute rollups by dimension (user agent, user, verb, resource, namespace, source IP,
  //    stage, level; top 100 keys per minute and dimension, the rest in "(other)"); errors per minute
  //    by code and message pattern; and a compact per-request index for "who touched this object".
  `
  CREATE TABLE audit_sources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    file TEXT,
    status TEXT NOT NULL,
    total_bytes INTEGER,
    read_bytes INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    damaged INTEGER NOT NULL DEFAULT 0,
    damage TEXT NOT NULL DEFAULT '{}',
    latency TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX audit_sources_cluster ON audit_sources (cluster_id, id);

  CREATE TABLE audit_rollup (
    source_id INTEGER NOT NULL,
    dim TEXT NOT NULL,
    minute INTEGER NOT NULL,
    key TEXT NOT NULL,
    events INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (source_id, dim, minute, key)
  ) WITHOUT ROWID;

  CREATE TABLE audit_errors (
    source_id INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    code INTEGER NOT NULL,
    pattern TEXT NOT NULL,
    message TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (source_id, minute, code, pattern)
  ) WITHOUT ROWID;

  CREATE TABLE audit_requests (
    source_id INTEGER NOT NULL,
    cluster_id TEXT NOT NULL,
    t INTEGER NOT NULL,
    verb TEXT NOT NULL,
    api_group TEXT NOT NULL,
    resource TEXT NOT NULL,
    subresource TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    username TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    source_ip TEXT NOT NULL,
    code INTEGER,
    audit_id TEXT NOT NULL,
    request TEXT
  );
  CREATE INDEX audit_requests_object ON audit_requests (cluster_id, resource, name, t);
  CREATE INDEX audit_requests_source ON audit_requests (source_id);
  `,
  // 5: runbook runs (the wizard's progress, which feeds the postmortem). A run stands for its
  //    incident until incidents exist: `incident_id` links it to one later. Step changes are an
  //    append-only log (who, when, what), so the postmortem can replay the response.
  `
  CREATE TABLE runbook_runs (
    id INTEGER PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    runbook TEXT NOT NULL,
    incident_id TEXT,
    finding TEXT,
    started_at INTEGER NOT NULL,
    started_by TEXT NOT NULL DEFAULT '',
    closed_at INTEGER,
    inputs TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX runbook_runs_cluster ON runbook_runs (cluster_id, started_at);
  CREATE INDEX runbook_runs_incident ON runbook_runs (incident_id);

  CREATE TABLE runbook_step_log (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runbook_runs(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    by TEXT NOT NULL DEFAULT '',
    t INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX runbook_step_log_run ON runbook_step_log (run_id, id);
  `,
  // 6: incidents (the war room; the postmortem's source). The clusters an incident spans are a JSON
  //    array (the first is the primary one). Annotations, linked findings (frozen as linked) and
  //    captures hang off the incident; runbook runs link through runbook_runs.incident_id. Every
  //    committed change is appended to incident_changes under the incident's own increasing seq, so
  //    a live screen that lost its connection asks for "everything after seq N" (Last-Event-ID).
  `
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    clusters TEXT NOT NULL DEFAULT '[]',
    from_t INTEGER NOT NULL,
    to_t INTEGER,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX incidents_created ON incidents (created_at);

  CREATE TABLE incident_annotations (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    from_t INTEGER NOT NULL,
    to_t INTEGER,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );
  CREATE INDEX incident_annotations_incident ON incident_annotations (incident_id, from_t);
  CREATE INDEX incident_annotations_cluster ON incident_annotations (cluster_id, from_t);

  CREATE TABLE incident_findings (
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    detector TEXT NOT NULL,
    title TEXT NOT NULL,
    severity TEXT NOT NULL,
    summary TEXT NOT NULL,
    from_t INTEGER NOT NULL,
    to_t INTEGER NOT NULL,
    facts TEXT NOT NULL DEFAULT '[]',
    linked_at INTEGER NOT NULL,
    linked_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (incident_id, cluster_id, finding_id)
  ) WITHOUT ROWID;

  CREATE TABLE incident_captures (
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    artifact_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    component TEXT NOT NULL,
    t INTEGER NOT NULL,
    PRIMARY KEY (incident_id, cluster_id, artifact_id)
  ) WITHOUT ROWID;

  CREATE TABLE incident_changes (
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    t INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
  ) WITHOUT ROWID;
  `,
  // 7: postmortem drafts: the team's edits over the draft assembled from an incident (the evidence
  //    is re-assembled from the store on every read; only what people wrote is kept).
  `
  CREATE TABLE postmortem_drafts (
    incident_id TEXT PRIMARY KEY,
    body TEXT NOT NULL DEFAULT '{}',
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
  );
  `,
  // 8: event occurrences (lib/events/occurrences): what each observation of an Event adds (a repeat's
  //    rise in count, when it was seen), by reason, kind, type and namespace. The storm detector reads
  //    them: a crash loop is one Event row whose count climbs. Archives recorded before count one per
  //    row when it was last seen, as the detector did until now.
  `
  CREATE TABLE event_occurrences (
    cluster_id TEXT NOT NULL,
    t INTEGER NOT NULL,
    reason TEXT NOT NULL,
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    namespace TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, t, reason, kind, type, namespace)
  ) WITHOUT ROWID;
  INSERT INTO event_occurrences (cluster_id, t, reason, kind, type, namespace, n)
    SELECT cluster_id, last_ts, reason, kind, type, namespace, COUNT(*) FROM events GROUP BY 1, 2, 3, 4, 5, 6;
  `,
];
