/** Schema migrations for the SQLite store, applied in order on start (PRAGMA user_version holds the count). */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE centres (
    id TEXT PRIMARY KEY,
    name_json TEXT NOT NULL,
    accreditation_no TEXT NOT NULL
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
    questions_per_exam INTEGER NOT NULL
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
    role TEXT NOT NULL CHECK (role IN ('proctor', 'reviewer', 'admin')),
    password_hash TEXT NOT NULL
  );
  CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES staff_users(id),
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT,
    iin TEXT NOT NULL,
    email TEXT
  );
  CREATE TABLE exam_sessions (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    token_hash TEXT NOT NULL UNIQUE,
    token_expires_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    language TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    deadline_at INTEGER,
    finished_at INTEGER,
    current_index INTEGER NOT NULL DEFAULT 0,
    question_ids_json TEXT NOT NULL DEFAULT '[]',
    result_json TEXT
  );
  CREATE INDEX exam_sessions_status ON exam_sessions(status, deadline_at);
  CREATE TABLE answers (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    question_id TEXT NOT NULL,
    option_ids_json TEXT NOT NULL,
    rev INTEGER NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, question_id)
  );
  CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    idx INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('client', 'server')),
    seq INTEGER,
    event_id TEXT,
    type TEXT NOT NULL,
    client_at INTEGER,
    server_at INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('info', 'incident')),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (session_id, idx)
  );
  CREATE UNIQUE INDEX events_client_seq ON events(session_id, seq) WHERE origin = 'client';
  CREATE INDEX events_server_at ON events(server_at);
  CREATE INDEX events_incidents ON events(session_id) WHERE level = 'incident';
  `,
  `
  ALTER TABLE programmes ADD COLUMN proctoring_json TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE exam_sessions ADD COLUMN policy_json TEXT;
  CREATE TABLE evidence (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    incident_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BLOB NOT NULL,
    stored_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, incident_id)
  );
  `,
  // The index of each session's recording chunks (the bytes are in the RecordingStore): a row is
  // inserted only after its chunk is durable, so a row means "acknowledged".
  `
  CREATE TABLE recording_chunks (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    seq INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    stored_at INTEGER NOT NULL,
    header INTEGER NOT NULL CHECK (header IN (0, 1)),
    PRIMARY KEY (session_id, seq)
  ) WITHOUT ROWID;
  `,
  // The steps before the first question (one JSON object per session) and the
  // candidate's reference photo with its face descriptor (float32, little-endian).
  `
  ALTER TABLE exam_sessions ADD COLUMN prestart_json TEXT NOT NULL DEFAULT '{}';
  CREATE TABLE candidate_references (
    candidate_id TEXT PRIMARY KEY REFERENCES candidates(id),
    jpeg BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    descriptor BLOB NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('file', 'enrolled')),
    stored_at INTEGER NOT NULL
  );
  `,
  // The control room. A paused exam, the proctor a session is assigned to, the centre's
  // contact for candidates, people's decisions on incidents, and what proctors told candidates.
  `
  ALTER TABLE exam_sessions ADD COLUMN paused_json TEXT;
  ALTER TABLE exam_sessions ADD COLUMN assigned_to TEXT REFERENCES staff_users(id);
  CREATE INDEX exam_sessions_assigned ON exam_sessions(assigned_to);
  ALTER TABLE centres ADD COLUMN contact_json TEXT NOT NULL DEFAULT '{}';
  CREATE TABLE incident_reviews (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    incident_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
    comment TEXT,
    by_json TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (session_id, incident_id)
  );
  CREATE TABLE proctor_notes (
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    id TEXT NOT NULL,
    body_json TEXT NOT NULL,
    at INTEGER NOT NULL,
    acknowledged_at INTEGER,
    reply TEXT,
    PRIMARY KEY (session_id, id)
  );
  CREATE INDEX events_type_time ON events(type, server_at);
  `,
  // The chain is keyed (HMAC with the centre's log secret) from here on; rows before stay version 1.
  `
  ALTER TABLE events ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2));
  `,
  // Admin console: the rest of Appendix 1 on each candidate, the admin's exam windows, the centre's
  // time zone, and a centre-level audit log of staff acts on records that are not a session (who, when, what changed).
  `
  ALTER TABLE candidates ADD COLUMN birth_date TEXT;
  ALTER TABLE candidates ADD COLUMN address TEXT;
  ALTER TABLE candidates ADD COLUMN phone TEXT;
  ALTER TABLE candidates ADD COLUMN profession TEXT;
  ALTER TABLE candidates ADD COLUMN nqf_level INTEGER;
  ALTER TABLE candidates ADD COLUMN consent_at INTEGER;
  ALTER TABLE candidates ADD COLUMN updated_at INTEGER;
  CREATE INDEX candidates_iin ON candidates(iin);
  ALTER TABLE exam_sessions ADD COLUMN window_json TEXT;
  ALTER TABLE centres ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Almaty';
  CREATE TABLE centre_audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_json TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    changes_json TEXT NOT NULL
  );
  CREATE INDEX centre_audit_subject ON centre_audit(subject, id);
  `,
  // Staff roles rebuild: the commission roles the documents need (rule 14's act, appeals). SQLite cannot
  // change a CHECK, so staff_users is rebuilt under its own name; foreign keys to it (log-ins, assignments) are
  // checked at the commit, by when the rebuilt table holds every id again.
  `
  PRAGMA defer_foreign_keys = ON;
  CREATE TEMP TABLE staff_users_copy AS SELECT id, username, display_name, role, password_hash FROM staff_users;
  DROP TABLE staff_users;
  CREATE TABLE staff_users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('proctor', 'reviewer', 'admin', 'commission_chair', 'commission_member', 'appeal_commission')),
    password_hash TEXT NOT NULL
  );
  INSERT INTO staff_users (id, username, display_name, role, password_hash) SELECT id, username, display_name, role, password_hash FROM staff_users_copy;
  DROP TABLE staff_users_copy;
  `,
  // The reviewer's verdict on a session (the latest replaces an earlier one; every one is in the log).
  `
  CREATE TABLE session_verdicts (
    session_id TEXT PRIMARY KEY REFERENCES exam_sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('no_violation', 'violation_confirmed', 'termination_overturned')),
    incident_ids_json TEXT NOT NULL,
    comment TEXT NOT NULL,
    by_json TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  `,
  // The reviewers' sessions list, filtered, sorted and paged in SQL (src/server/store/session-list-query.ts).
  // list_at and outcome are computed columns (virtual: nothing to keep in step); incident_count is kept by a trigger in
  // the same transaction as the event that counts; the verdict filter reads the review page's session_verdicts.
  `
  ALTER TABLE exam_sessions ADD COLUMN list_at INTEGER GENERATED ALWAYS AS (COALESCE(started_at, created_at)) VIRTUAL;
  ALTER TABLE exam_sessions ADD COLUMN outcome TEXT GENERATED ALWAYS AS (CASE
    WHEN status = 'terminated' THEN 'terminated'
    WHEN status = 'suspended' THEN 'suspended'
    WHEN result_json IS NULL THEN 'none'
    WHEN json_extract(result_json, '$.admitted') THEN 'admitted'
    ELSE 'not_admitted' END) VIRTUAL;
  ALTER TABLE exam_sessions ADD COLUMN incident_count INTEGER NOT NULL DEFAULT 0;
  UPDATE exam_sessions SET incident_count = (SELECT COUNT(*) FROM events e WHERE e.session_id = exam_sessions.id AND e.level = 'incident');
  CREATE TRIGGER events_count_incidents AFTER INSERT ON events WHEN NEW.level = 'incident'
  BEGIN
    UPDATE exam_sessions SET incident_count = incident_count + 1 WHERE id = NEW.session_id;
  END;
  CREATE INDEX exam_sessions_list_at ON exam_sessions(list_at);
  CREATE INDEX exam_sessions_status_at ON exam_sessions(status, list_at);
  CREATE INDEX exam_sessions_programme_at ON exam_sessions(programme_id, list_at);
  CREATE INDEX exam_sessions_outcome_at ON exam_sessions(outcome, list_at);
  CREATE INDEX exam_sessions_incidents ON exam_sessions(incident_count, list_at);
  CREATE INDEX exam_sessions_candidate ON exam_sessions(candidate_id);
  CREATE INDEX IF NOT EXISTS candidates_iin ON candidates(iin);
  CREATE INDEX session_verdicts_kind ON session_verdicts(kind);
  `,
  // The procedure after the exam. The programme's technological map (rule 16) and the head of the centre (who
  // signs the document, Appendix 2); per finished session the practical assessment and the protocol (rule 17) with its
  // signatures; the documents issued, each file once per language with its SHA-256, the serial number of a document on
  // recognition unique (Appendix 2); the centre's counters (the 8-digit sequence, the registers), taken in the
  // transaction that issues.
  `
  ALTER TABLE programmes ADD COLUMN tech_map_json TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE centres ADD COLUMN head_name TEXT NOT NULL DEFAULT '';
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
    at INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
  );
  CREATE TABLE centre_counters (
    centre_id TEXT NOT NULL REFERENCES centres(id),
    name TEXT NOT NULL,
    last INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (centre_id, name)
  );
  CREATE TABLE issued_documents (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('violation-act', 'protocol', 'recognition', 'failure-notice', 'appeal-decision')),
    number TEXT NOT NULL,
    serial_number TEXT UNIQUE,
    sequence INTEGER,
    issued_at INTEGER NOT NULL,
    issued_on TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    revoked_at INTEGER,
    revoked_reason TEXT,
    UNIQUE (session_id, kind),
    CHECK ((kind = 'recognition') = (serial_number IS NOT NULL AND sequence IS NOT NULL))
  );
  CREATE TABLE document_files (
    document_id TEXT NOT NULL REFERENCES issued_documents(id),
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    stored_at INTEGER NOT NULL,
    PRIMARY KEY (document_id, language)
  );
  CREATE UNIQUE INDEX issued_documents_sequence ON issued_documents(sequence) WHERE sequence IS NOT NULL;
  `,
  // Appeals (rules 20-23). One per session, its register number unique; the candidate's files stored once with
  // their SHA-256 (the session's log holds it); the appeal commission's decision with who and when, its PDF an issued
  // document of kind 'appeal-decision' (allowed by issued_documents since the migration before).
  `
  CREATE TABLE appeals (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL UNIQUE REFERENCES exam_sessions(id),
    number TEXT NOT NULL UNIQUE,
    filed_at INTEGER NOT NULL,
    filed_on TEXT NOT NULL,
    text TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('upheld', 'rejected')),
    reasons TEXT,
    decided_by_json TEXT,
    decided_at INTEGER,
    decision_document_id TEXT REFERENCES issued_documents(id),
    CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (reasons IS NULL))
  );
  CREATE TABLE appeal_files (
    appeal_id TEXT NOT NULL REFERENCES appeals(id),
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('image/jpeg', 'image/png', 'application/pdf')),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (appeal_id, idx)
  );
  `,
  // Rescheduling (rules 6, 7, 11): a task per exam to move, opened for a technical fault (the suspended exam) or a sick
  // leave (with the certificate's bytes, checked by their first bytes); closed rescheduled (the new exam link) or refused
  // with a reason. And the NQS export's range (rule 18) reads documents by their centre's date of issue.
  `
  CREATE TABLE reschedule_tasks (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES exam_sessions(id),
    cause TEXT NOT NULL CHECK (cause IN ('technical_fault', 'sick_leave')),
    note TEXT NOT NULL,
    certificate_type TEXT,
    certificate_sha256 TEXT,
    certificate BLOB,
    opened_at INTEGER NOT NULL,
    opened_by_json TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'rescheduled', 'refused')),
    closed_at INTEGER,
    closed_by_json TEXT,
    refused_reason TEXT,
    new_session_id TEXT REFERENCES exam_sessions(id),
    new_window_json TEXT,
    CHECK ((cause = 'sick_leave') = (certificate IS NOT NULL))
  );
  CREATE UNIQUE INDEX reschedule_tasks_one_open ON reschedule_tasks(session_id) WHERE state = 'open';
  CREATE INDEX reschedule_tasks_state ON reschedule_tasks(state, opened_at);
  CREATE INDEX issued_documents_issued_on ON issued_documents(issued_on, kind);
  `,
  // Rules 10-11: a candidate's accommodations (the latest set, who, when, why, the supporting document), and each
  // exam's own copy, frozen when it starts (what the exam was judged and timed by, whatever is set later).
  `
  CREATE TABLE candidate_accommodations (
    candidate_id TEXT PRIMARY KEY REFERENCES candidates(id),
    accommodations_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by_json TEXT NOT NULL,
    set_at INTEGER NOT NULL,
    document_name TEXT,
    document_type TEXT CHECK (document_type IS NULL OR document_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    document_sha256 TEXT,
    document BLOB,
    CHECK ((document IS NULL) = (document_sha256 IS NULL))
  );
  ALTER TABLE exam_sessions ADD COLUMN accommodations_json TEXT;
  `,
];
