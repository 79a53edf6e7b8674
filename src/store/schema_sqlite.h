/* schema_sqlite.h — the SQLite schema of a session file, its migrations, and the projection of each
 * event type into the query tables. Projections are SQL over the event's JSON payload (?1) and
 * time (?2), so the mapping from events to tables is written once, as data. */
#ifndef YS_STORE_SCHEMA_SQLITE_H
#define YS_STORE_SCHEMA_SQLITE_H

/* migrations[v-1] takes a file from schema version v-1 to v. Never edit a shipped migration: add one. */
static const char *const ys_sqlite_migrations[] = {
    /* 1: the log, checkpoints, blobs and the first projections */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,"
    "  type TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'the session log is append-only'); END;"
    "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'the session log is append-only'); END;"
    "CREATE TABLE checkpoints(seq INTEGER PRIMARY KEY, state_digest TEXT NOT NULL);"
    "CREATE TABLE blobs(hash TEXT PRIMARY KEY, size INTEGER NOT NULL, content BLOB NOT NULL);"
    "CREATE TABLE session(id INTEGER PRIMARY KEY CHECK (id = 1), assembly TEXT, term TEXT, name TEXT,"
    "  rules_id TEXT, initialized_at TEXT);"
    "CREATE TABLE posts(id INTEGER PRIMARY KEY, rank INTEGER NOT NULL, title TEXT NOT NULL UNIQUE);"
    "CREATE TABLE delegations(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE delegates(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    "  gender TEXT NOT NULL, ethnicity TEXT NOT NULL, delegation_id INTEGER NOT NULL REFERENCES delegations,"
    "  seat TEXT UNIQUE, roles TEXT NOT NULL, post_id INTEGER REFERENCES posts, entitled INTEGER NOT NULL);"
    "CREATE TABLE attendees(id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
    "  post_id INTEGER REFERENCES posts, affiliation TEXT);"
    "CREATE TABLE documents(id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE);"
    "CREATE TABLE document_versions(document_id INTEGER NOT NULL REFERENCES documents, number INTEGER NOT NULL,"
    "  hash TEXT NOT NULL, size INTEGER NOT NULL, note TEXT, time TEXT NOT NULL, PRIMARY KEY (document_id, number));"
    "CREATE TABLE agenda(id INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL,"
    "  title TEXT NOT NULL, presenter TEXT, document_id INTEGER REFERENCES documents);"
    "CREATE TABLE meetings(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,"
    "  delegation_id INTEGER REFERENCES delegations, open INTEGER NOT NULL, opened_at TEXT, closed_at TEXT);"
    "CREATE TABLE attendance(meeting_id INTEGER NOT NULL REFERENCES meetings,"
    "  delegate_id INTEGER NOT NULL REFERENCES delegates, status TEXT NOT NULL, reason TEXT, time TEXT NOT NULL,"
    "  PRIMARY KEY (meeting_id, delegate_id));",
    /* 2: votes on questions and elections. The ballot box holds the content of anonymous and secret
     * ballots under random ids, with no voter, time or order: nothing in it links a ballot to the
     * event that records who turned it in. */
    "CREATE TABLE ballot_box(id TEXT PRIMARY KEY, kind TEXT NOT NULL, ref INTEGER NOT NULL,"
    "  content TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE polls(id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES agenda, title TEXT NOT NULL,"
    "  majority TEXT NOT NULL, method TEXT NOT NULL, named INTEGER NOT NULL, changeable INTEGER NOT NULL,"
    "  amends INTEGER REFERENCES polls, state TEXT NOT NULL, meeting_id INTEGER REFERENCES meetings,"
    "  opened_at TEXT, closed_at TEXT, entitled INTEGER, present INTEGER, yes INTEGER, no INTEGER,"
    "  abstain INTEGER, not_voted INTEGER, passed INTEGER, announcement TEXT);"
    "CREATE TABLE poll_votes(poll_id INTEGER NOT NULL REFERENCES polls, delegate_id INTEGER NOT NULL"
    "  REFERENCES delegates, choice TEXT, time TEXT NOT NULL, PRIMARY KEY (poll_id, delegate_id));"
    "CREATE TABLE elections(id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES agenda, kind TEXT NOT NULL,"
    "  office TEXT NOT NULL, seats INTEGER NOT NULL, by_election INTEGER NOT NULL, round_of INTEGER"
    "  REFERENCES elections, state TEXT NOT NULL, meeting_id INTEGER REFERENCES meetings, opened_at TEXT,"
    "  closed_at TEXT, ballots_issued INTEGER, ballots_returned INTEGER, ballots_void INTEGER, valid INTEGER,"
    "  threshold INTEGER, result TEXT);"
    "CREATE TABLE candidates(election_id INTEGER NOT NULL REFERENCES elections, position INTEGER NOT NULL,"
    "  name TEXT NOT NULL, nominated_by TEXT NOT NULL, PRIMARY KEY (election_id, position));"
    "CREATE TABLE election_turnout(election_id INTEGER NOT NULL REFERENCES elections,"
    "  delegate_id INTEGER NOT NULL REFERENCES delegates, time TEXT NOT NULL,"
    "  PRIMARY KEY (election_id, delegate_id));"
    "CREATE TABLE election_results(election_id INTEGER NOT NULL REFERENCES elections, name TEXT NOT NULL,"
    "  yes INTEGER NOT NULL, no INTEGER NOT NULL, abstain INTEGER NOT NULL, write_in INTEGER NOT NULL,"
    "  elected INTEGER NOT NULL, tied INTEGER NOT NULL, PRIMARY KEY (election_id, name));",
};

typedef struct ys_sqlite_projection {
    const char *type;
    const char *sql;    /* ?1 payload JSON, ?2 event time; one statement */
} ys_sqlite_projection;

static const ys_sqlite_projection ys_sqlite_projections[] = {
    {"session.init", "INSERT INTO session VALUES (1, json_extract(?1,'$.assembly'), json_extract(?1,'$.term'),"
                     " json_extract(?1,'$.name'), json_extract(?1,'$.rules_id'), ?2)"},
    {"post.add", "INSERT INTO posts VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.rank'),"
                 " json_extract(?1,'$.title'))"},
    {"delegation.add", "INSERT INTO delegations VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.name'))"},
    {"delegate.add", "INSERT INTO delegates VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.code'),"
                     " json_extract(?1,'$.name'), json_extract(?1,'$.gender'), json_extract(?1,'$.ethnicity'),"
                     " json_extract(?1,'$.delegation'), json_extract(?1,'$.seat'),"
                     " (SELECT ifnull(group_concat(value, ';'), '') FROM json_each(?1, '$.roles')),"
                     " nullif(json_extract(?1,'$.post'), 0), 1)"},
    {"attendee.add", "INSERT INTO attendees VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.name'),"
                     " json_extract(?1,'$.kind'), nullif(json_extract(?1,'$.post'), 0),"
                     " json_extract(?1,'$.affiliation'))"},
    {"document.add", "INSERT INTO documents VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.title'))"},
    {"document.version", "INSERT INTO document_versions VALUES (json_extract(?1,'$.document'),"
                         " json_extract(?1,'$.number'), json_extract(?1,'$.hash'), json_extract(?1,'$.size'),"
                         " json_extract(?1,'$.note'), ?2)"},
    {"item.add", "INSERT INTO agenda VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.order'),"
                 " json_extract(?1,'$.kind'), json_extract(?1,'$.title'), json_extract(?1,'$.presenter'),"
                 " nullif(json_extract(?1,'$.document'), 0))"},
    {"meeting.open", "INSERT INTO meetings VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.kind'),"
                     " json_extract(?1,'$.title'), nullif(json_extract(?1,'$.delegation'), 0), 1, ?2, NULL)"},
    {"meeting.close", "UPDATE meetings SET open = 0, closed_at = ?2 WHERE id = json_extract(?1,'$.meeting')"},
    {"attendance.checkin", "INSERT OR REPLACE INTO attendance VALUES (json_extract(?1,'$.meeting'),"
                           " json_extract(?1,'$.delegate'), 'present', NULL, ?2)"},
    {"attendance.leave", "INSERT OR REPLACE INTO attendance VALUES (json_extract(?1,'$.meeting'),"
                         " json_extract(?1,'$.delegate'), 'leave', json_extract(?1,'$.reason'), ?2)"},
    {"attendance.absent", "DELETE FROM attendance WHERE meeting_id = json_extract(?1,'$.meeting')"
                          " AND delegate_id = json_extract(?1,'$.delegate')"},
};

#endif
