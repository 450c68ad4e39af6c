-- Causa case store, version 1. Portable SQL: {{ID}} and {{BLOB}} are filled in per dialect
-- (store/sqldialect.cpp). Times are epoch milliseconds. Statements end with ";" on their own line end.

CREATE TABLE cases (
    id {{ID}},
    source TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    severity INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'new',
    verdict TEXT NOT NULL DEFAULT '',
    tlp TEXT NOT NULL DEFAULT 'AMBER',
    pap TEXT NOT NULL DEFAULT 'AMBER',
    assignee TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT '',
    hosts TEXT NOT NULL DEFAULT '',
    users TEXT NOT NULL DEFAULT '',
    alert_count INTEGER NOT NULL DEFAULT 0,
    resolution_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0,
    closed_at BIGINT NOT NULL DEFAULT 0,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, source_ref)
);

CREATE TABLE endpoints (
    id {{ID}},
    endpoint_key TEXT NOT NULL UNIQUE,
    host_name TEXT NOT NULL DEFAULT '',
    agent_id TEXT NOT NULL DEFAULT '',
    ips TEXT NOT NULL DEFAULT '',
    os TEXT NOT NULL DEFAULT '',
    domain TEXT NOT NULL DEFAULT ''
);

CREATE TABLE alerts (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    endpoint_id BIGINT REFERENCES endpoints(id),
    alert_key TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL DEFAULT '',
    source_alert_id TEXT NOT NULL DEFAULT '',
    external_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    severity INTEGER NOT NULL DEFAULT 0,
    action TEXT NOT NULL DEFAULT '',
    action_pretty TEXT NOT NULL DEFAULT '',
    blocked INTEGER NOT NULL DEFAULT 0,
    rule_id TEXT NOT NULL DEFAULT '',
    detected_at BIGINT NOT NULL DEFAULT 0,
    host_name TEXT NOT NULL DEFAULT '',
    host_ip TEXT NOT NULL DEFAULT '',
    user_name TEXT NOT NULL DEFAULT '',
    mitre_tactics TEXT NOT NULL DEFAULT '',
    mitre_techniques TEXT NOT NULL DEFAULT '',
    remote_ip TEXT NOT NULL DEFAULT '',
    remote_port INTEGER NOT NULL DEFAULT 0,
    local_ip TEXT NOT NULL DEFAULT '',
    external_hostname TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alerts_case ON alerts(case_id);
CREATE INDEX alerts_endpoint_time ON alerts(endpoint_id, detected_at);

CREATE TABLE processes (
    id {{ID}},
    process_key TEXT NOT NULL UNIQUE,
    parent_key TEXT NOT NULL DEFAULT '',
    endpoint_id BIGINT REFERENCES endpoints(id),
    image_name TEXT NOT NULL DEFAULT '',
    image_path TEXT NOT NULL DEFAULT '',
    command_line TEXT NOT NULL DEFAULT '',
    pid BIGINT NOT NULL DEFAULT -1,
    parent_pid BIGINT NOT NULL DEFAULT -1,
    user_name TEXT NOT NULL DEFAULT '',
    started_at BIGINT NOT NULL DEFAULT 0,
    ended_at BIGINT NOT NULL DEFAULT 0,
    md5 TEXT NOT NULL DEFAULT '',
    sha1 TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    signature_status TEXT NOT NULL DEFAULT '',
    signature_vendor TEXT NOT NULL DEFAULT '',
    causality_id TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX processes_endpoint ON processes(endpoint_id, started_at);
CREATE INDEX processes_parent ON processes(parent_key);

CREATE TABLE alert_processes (
    alert_id BIGINT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    process_id BIGINT NOT NULL REFERENCES processes(id),
    PRIMARY KEY (alert_id, role)
);
CREATE INDEX alert_processes_process ON alert_processes(process_id);

CREATE TABLE events (
    id {{ID}},
    event_key TEXT NOT NULL UNIQUE,
    endpoint_id BIGINT REFERENCES endpoints(id),
    process_key TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    event_code INTEGER NOT NULL DEFAULT 0,
    channel TEXT NOT NULL DEFAULT '',
    ts BIGINT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    source_line BIGINT NOT NULL DEFAULT 0,
    data TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_endpoint_time ON events(endpoint_id, ts);
CREATE INDEX events_process ON events(process_key);

CREATE TABLE indicators (
    id {{ID}},
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    internal INTEGER NOT NULL DEFAULT 0,
    tlp TEXT NOT NULL DEFAULT 'AMBER',
    pap TEXT NOT NULL DEFAULT 'AMBER',
    manual_score INTEGER,
    manual_reason TEXT NOT NULL DEFAULT '',
    manual_by TEXT NOT NULL DEFAULT '',
    first_seen BIGINT NOT NULL DEFAULT 0,
    UNIQUE (type, value)
);

CREATE TABLE case_indicators (
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    context TEXT NOT NULL,
    as_written TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, indicator_id, context)
);
CREATE INDEX case_indicators_indicator ON case_indicators(indicator_id);

CREATE TABLE intel_entries (
    id {{ID}},
    feed TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'ioc',
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    score INTEGER NOT NULL DEFAULT 0,
    confidence INTEGER NOT NULL DEFAULT 0,
    tlp TEXT NOT NULL DEFAULT 'AMBER',
    creator TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    valid_from BIGINT NOT NULL DEFAULT 0,
    valid_until BIGINT NOT NULL DEFAULT 0,
    imported_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (feed, kind, type, value)
);
CREATE INDEX intel_value ON intel_entries(type, value);

CREATE TABLE enrichments (
    id {{ID}},
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    verdict TEXT NOT NULL DEFAULT '',
    score INTEGER NOT NULL DEFAULT 0,
    reliability TEXT NOT NULL DEFAULT 'F',
    fetched_at BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL DEFAULT 0,
    raw TEXT NOT NULL DEFAULT '',
    UNIQUE (indicator_id, provider)
);

CREATE TABLE playbook_runs (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    playbook_id TEXT NOT NULL,
    playbook_version TEXT NOT NULL DEFAULT '',
    inputs TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'running',
    started_by TEXT NOT NULL DEFAULT '',
    started_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0,
    row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX playbook_runs_case ON playbook_runs(case_id);

CREATE TABLE stage_states (
    run_id BIGINT NOT NULL REFERENCES playbook_runs(id) ON DELETE CASCADE,
    stage_id TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    inputs TEXT NOT NULL DEFAULT '{}',
    outputs TEXT NOT NULL DEFAULT '{}',
    actor TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    started_at BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, stage_id)
);

CREATE TABLE actions (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    run_id BIGINT REFERENCES playbook_runs(id),
    stage_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    rationale TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'proposed',
    connector TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL UNIQUE,
    required_approvals INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0,
    executed_at BIGINT NOT NULL DEFAULT 0,
    row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX actions_case ON actions(case_id);
CREATE INDEX actions_state ON actions(state);

CREATE TABLE approvals (
    id {{ID}},
    action_id BIGINT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    approver TEXT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decided_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (action_id, approver)
);

CREATE TABLE evidence (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (case_id, kind, ref, label)
);

CREATE TABLE notes (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    author TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0,
    row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notes_case ON notes(case_id);

CREATE TABLE severity_history (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    severity INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    changed_by TEXT NOT NULL DEFAULT '',
    changed_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id {{ID}},
    case_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    ts BIGINT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TABLE analysis_patterns (
    id {{ID}},
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    pattern TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    weight INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    active INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (kind, name, version)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL DEFAULT ''
);
