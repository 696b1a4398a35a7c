/*
 * The PostgreSQL store's schema. PostgreSQL starts where the SQLite schema stands after its migration
 * POSTGRES_BASELINE_OF_SQLITE (= SQLITE_MIGRATIONS.length when this was written): its migration 1 creates, at once,
 * the final state of SQLite's first 14 migrations (the same tables, columns, keys, constraints, defaults, indexes
 * and the incident-count trigger). A later schema change is appended to BOTH lists, SQLite's and this one.
 *
 * Types: timestamps (ms), byte counts, sizes, counters and sequences are BIGINT (pg returns them as strings; the store
 * reads them with Number()); small numbers, 0/1 flags (same CHECKs; the code compares `=== 1`) and the centre's own
 * indexes are INTEGER (the browser's sequence numbers and revisions became BIGINT in migration 2); TEXT stays TEXT;
 * BLOB is BYTEA (read back as a Buffer). SQLite's VIRTUAL generated columns are STORED
 * (PostgreSQL 15 has no virtual ones); `WITHOUT ROWID` has no equivalent and is dropped.
 *
 * The database must be created with a UTF-8 encoding (names are Kazakh and Russian); tanu_fold folds the Cyrillic
 * letters itself, so search works whatever the database's locale (lower() under the C locale folds only ASCII).
 */

/** Which SQLite migration count the PostgreSQL schema's migration 1 corresponds to. */
export const POSTGRES_BASELINE_OF_SQLITE = 14;

/** Schema migrations for the PostgreSQL store, applied in order on start (table tanu_schema_version holds the count). */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1 = SQLite 1..14. Column order follows SQLite's (columns added by ALTER TABLE come last, in the order added).
  `
  CREATE TABLE centres (
    id TEXT PRIMARY KEY,
    name_json TEXT NOT NULL,
    accreditation_no TEXT NOT NULL,
    contact_json TEXT NOT NULL DEFAULT '{}',
    time_zone TEXT NOT NULL DEFAULT 'Asia/Almaty',
    head_name TEXT NOT NULL DEFAULT ''
  );
  CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    code TEXT NOT NULL,
    profession_json TEXT NOT NULL,
    oked TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    nqf_level INTEGER NOT NULL,
    duration_minutes INTEGER NOT NULL,
    questions_per_exam INTEGER NOT NULL,
    proctoring_json TEXT NOT NULL DEFAULT '{}',
    tech_map_json TEXT NOT NULL DEFAULT '[]'
  );
  CREATE TABLE questions (
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    body_json TEXT NOT NULL,
    PRIMARY KEY (programme_id, id)
  );
  CREATE TABLE staff_users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('proctor', 'reviewer', 'admin', 'commission_chair', 'commission_member',
      'appeal_commission')),
    password_hash TEXT NOT NULL
  );
  CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES staff_users(id),
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT,
    iin TEXT NOT NULL,
    email TEXT,
    birth_date TEXT,
    address TEXT,
    phone TEXT,
    profession TEXT,
    nqf_level INTEGER,
    consent_at BIGINT,
    updated_at BIGINT
  );
  CREATE INDEX candidates_iin ON candidates(iin);
  CREATE TABLE exam_sessions (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    token_hash TEXT NOT NULL UNIQUE,
    token_expires_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    language TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    deadline_at BIGINT,
    finished_at BIGINT,
    current_index INTEGER NOT NULL DEFAULT 0,
    question_ids_json TEXT NOT NULL DEFAULT '[]',
    result_json TEXT,
    policy_json TEXT,
    prestart_json TEXT NOT NULL DEFAULT '{}',
    paused_json TEXT,
    assigned_to TEXT REFERENCES staff_users(id),
    window_json TEXT,
    list_at BIGINT GENERATED ALWAYS AS (COALESCE(started_at, created_at)) STORED,
    -- SQLite: WHEN json_extract(result_json, '$.admitted') (truthy: JSON true or a non-zero number).
    outcome TEXT GENERATED ALWAYS AS (CASE
      WHEN status = 'terminated' THEN 'terminated'
      WHEN status = 'suspended' THEN 'suspended'
      WHEN result_json IS NULL THEN 'none'
      WHEN CASE jsonb_typeof(result_json::jsonb -> 'admitted')
        WHEN 'boolean' THEN (result_json::jsonb -> 'admitted')::boolean
        WHEN 'number' THEN (result_json::jsonb -> 'admitted')::numeric <> 0
        ELSE false END THEN 'admitted'
      ELSE 'not_admitted' END) STORED,
    incident_count INTEGER NOT NULL DEFAULT 0,
    accommodations_json TEXT
  );
  CREATE INDEX exam_sessions_status ON exam_sessions(status, deadline_at);
  CREATE INDEX exam_sessions_assigned ON exam_sessions(assigned_to);
  CREATE INDEX exam_sessions_list_at ON exam_sessions(list_at);
  CREATE INDEX exam_sessions_status_at ON exam_sessions(status, list_at);
  CREATE INDEX exam_sessions_programme_at ON exam_sessions(programme_id, list_at);
  CREATE INDEX exam_sessions_outcome_at ON exam_sessions(outcome, list_at);
  CREATE INDEX exam_sessions_incidents ON exam_sessions(incident_count, list_at);
  CREATE INDEX exam_sessions_candidate ON exam_sessions(candidate_id);
  CREATE TABLE answers (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    question_id TEXT NOT NULL,
    option_ids_json TEXT NOT NULL,
    rev INTEGER NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, question_id)
  );
  CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    idx INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('client', 'server')),
    seq INTEGER,
    event_id TEXT,
    type TEXT NOT NULL,
    client_at BIGINT,
    server_at BIGINT NOT NULL,
    data_json TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('info', 'incident')),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    hash_version INTEGER NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2)),
    PRIMARY KEY (session_id, idx)
  );
  CREATE UNIQUE INDEX events_client_seq ON events(session_id, seq) WHERE origin = 'client';
  CREATE INDEX events_server_at ON events(server_at);
  CREATE INDEX events_incidents ON events(session_id) WHERE level = 'incident';
  CREATE INDEX events_type_time ON events(type, server_at);
  -- SQLite's trigger events_count_incidents: an incident event counts on its session, in the same transaction.
  CREATE FUNCTION events_count_incidents() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE exam_sessions SET incident_count = incident_count + 1 WHERE id = NEW.session_id;
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER events_count_incidents AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.level = 'incident') EXECUTE FUNCTION events_count_incidents();
  CREATE TABLE evidence (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    incident_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    stored_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, incident_id)
  );
  CREATE TABLE recording_chunks (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    seq INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    stored_at BIGINT NOT NULL,
    header INTEGER NOT NULL CHECK (header IN (0, 1)),
    PRIMARY KEY (session_id, seq)
  );
  CREATE TABLE candidate_references (
    candidate_id TEXT PRIMARY KEY REFERENCES candidates(id),
    jpeg BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    descriptor BYTEA NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('file', 'enrolled')),
    stored_at BIGINT NOT NULL
  );
  CREATE TABLE incident_reviews (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    incident_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
    comment TEXT,
    by_json TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (session_id, incident_id)
  );
  CREATE TABLE proctor_notes (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    id TEXT NOT NULL,
    body_json TEXT NOT NULL,
    at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    reply TEXT,
    PRIMARY KEY (session_id, id)
  );
  -- The store never supplies id (SQLite: INTEGER PRIMARY KEY, the rowid).
  CREATE TABLE centre_audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_json TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    changes_json TEXT NOT NULL
  );
  CREATE INDEX centre_audit_subject ON centre_audit(subject, id);
  CREATE TABLE session_verdicts (
    session_id TEXT PRIMARY KEY REFERENCES exam_sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('no_violation', 'violation_confirmed', 'termination_overturned')),
    incident_ids_json TEXT NOT NULL,
    comment TEXT NOT NULL,
    by_json TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX session_verdicts_kind ON session_verdicts(kind);
  CREATE TABLE procedures (
    session_id TEXT PRIMARY KEY REFERENCES exam_sessions(id),
    version INTEGER NOT NULL,
    practical_json TEXT,
    protocol_json TEXT
  );
  CREATE TABLE protocol_signatures (
    session_id TEXT NOT NULL REFERENCES procedures(session_id),
    protocol_number TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES staff_users(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('commission_chair', 'commission_member')),
    at BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
  );
  CREATE TABLE centre_counters (
    centre_id TEXT NOT NULL REFERENCES centres(id),
    name TEXT NOT NULL,
    last BIGINT NOT NULL CHECK (last > 0),
    PRIMARY KEY (centre_id, name)
  );
  CREATE TABLE issued_documents (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('violation-act', 'protocol', 'recognition', 'failure-notice', 'appeal-decision')),
    number TEXT NOT NULL,
    serial_number TEXT UNIQUE,
    sequence BIGINT,
    issued_at BIGINT NOT NULL,
    issued_on TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    revoked_at BIGINT,
    revoked_reason TEXT,
    UNIQUE (session_id, kind),
    CHECK ((kind = 'recognition') = (serial_number IS NOT NULL AND sequence IS NOT NULL))
  );
  CREATE UNIQUE INDEX issued_documents_sequence ON issued_documents(sequence) WHERE sequence IS NOT NULL;
  CREATE INDEX issued_documents_issued_on ON issued_documents(issued_on, kind);
  CREATE TABLE document_files (
    document_id TEXT NOT NULL REFERENCES issued_documents(id),
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    sha256 TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    stored_at BIGINT NOT NULL,
    PRIMARY KEY (document_id, language)
  );
  CREATE TABLE appeals (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL UNIQUE REFERENCES exam_sessions(id),
    number TEXT NOT NULL UNIQUE,
    filed_at BIGINT NOT NULL,
    filed_on TEXT NOT NULL,
    text TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('upheld', 'rejected')),
    reasons TEXT,
    decided_by_json TEXT,
    decided_at BIGINT,
    decision_document_id TEXT REFERENCES issued_documents(id),
    CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (reasons IS NULL))
  );
  CREATE TABLE appeal_files (
    appeal_id TEXT NOT NULL REFERENCES appeals(id),
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('image/jpeg', 'image/png', 'application/pdf')),
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (appeal_id, idx)
  );
  CREATE TABLE reschedule_tasks (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    cause TEXT NOT NULL CHECK (cause IN ('technical_fault', 'sick_leave')),
    note TEXT NOT NULL,
    certificate_type TEXT,
    certificate_sha256 TEXT,
    certificate BYTEA,
    opened_at BIGINT NOT NULL,
    opened_by_json TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'rescheduled', 'refused')),
    closed_at BIGINT,
    closed_by_json TEXT,
    refused_reason TEXT,
    new_session_id TEXT REFERENCES exam_sessions(id),
    new_window_json TEXT,
    CHECK ((cause = 'sick_leave') = (certificate IS NOT NULL))
  );
  CREATE UNIQUE INDEX reschedule_tasks_one_open ON reschedule_tasks(session_id) WHERE state = 'open';
  CREATE INDEX reschedule_tasks_state ON reschedule_tasks(state, opened_at);
  CREATE TABLE candidate_accommodations (
    candidate_id TEXT PRIMARY KEY REFERENCES candidates(id),
    accommodations_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by_json TEXT NOT NULL,
    set_at BIGINT NOT NULL,
    document_name TEXT,
    document_type TEXT CHECK (document_type IS NULL OR document_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    document_sha256 TEXT,
    document BYTEA,
    CHECK ((document IS NULL) = (document_sha256 IS NULL))
  );
  -- Search folding, as foldForSearch in session-list-query.ts: NFC, lower case (the Russian and Kazakh capitals
  -- folded by translate() whatever the locale, then lower() for the rest), ё as е, each run of JavaScript's \\s
  -- whitespace as one space, trimmed. The database must be created with a UTF-8 encoding.
  CREATE FUNCTION tanu_fold(t TEXT) RETURNS TEXT LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  RETURN btrim(regexp_replace(replace(lower(translate(normalize(t, NFC),
      'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЁӘҒҚҢӨҰҮҺІ',
      'абвгдежзийклмнопрстуфхцчшщъыьэюяёәғқңөұүһі')), 'ё', 'е'),
    '[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+', ' ', 'g'), ' ');
  `,
  // 2 (PostgreSQL only; SQLite's INTEGER is 64-bit already). The numbers a browser sends — an event's and a chunk's
  // sequence number, an answer's revision — are allowed up to Number.MAX_SAFE_INTEGER by the protocol; as 32-bit
  // columns, looking one up failed with "out of range" (an internal error) before the centre could say "jumps ahead".
  `
  ALTER TABLE answers ALTER COLUMN rev TYPE BIGINT;
  ALTER TABLE events ALTER COLUMN seq TYPE BIGINT;
  ALTER TABLE recording_chunks ALTER COLUMN seq TYPE BIGINT;
  `,
];
