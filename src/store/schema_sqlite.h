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
    /* 3: the server's logins, kept beside the log and never in it (credentials are no public record):
     * staff accounts with argon2id password hashes, delegate cards (BLAKE2b of the printed code,
     * argon2id of the PIN), session tokens as BLAKE2b hashes, and failed-login slowdown per account. */
    "CREATE TABLE auth_accounts(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL"
    "  CHECK (role IN ('secretariat', 'chair', 'delegation_secretary')), delegation TEXT,"
    "  password_hash TEXT NOT NULL, created_at TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE auth_cards(delegate_code TEXT PRIMARY KEY, card_hash TEXT NOT NULL UNIQUE, pin_hash TEXT,"
    "  issued_at TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE auth_tokens(token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('account', 'card')),"
    "  subject TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
    "  revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX auth_tokens_subject ON auth_tokens(kind, subject);",
    /* 4: the announcement of an election, as the presidium read it out */
    "ALTER TABLE elections ADD COLUMN announcement TEXT;",
    /* 5: the speakers list of each meeting, and what was said */
    "CREATE TABLE speeches(id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings,"
    "  delegate_id INTEGER NOT NULL REFERENCES delegates, state TEXT NOT NULL, topic TEXT, summary TEXT,"
    "  requested_at TEXT NOT NULL, started_at TEXT, ended_at TEXT);",
    /* 6: failed logins as leaky buckets per login name or card code (BLAKE2b keys, whether the name exists
     * or not), and the devices that logged in as each (BLAKE2b of a device token), which are charged to
     * their own bucket; these replace the per-account columns failures and locked_until of version 3. */
    "CREATE TABLE auth_throttle(key TEXT PRIMARY KEY, level REAL NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE auth_devices(device_hash TEXT NOT NULL, subject TEXT NOT NULL, used_at INTEGER NOT NULL,"
    "  PRIMARY KEY (device_hash, subject)) WITHOUT ROWID;"
    "CREATE INDEX auth_devices_subject ON auth_devices(subject);",
    /* 7: which definition of the state digest a checkpoint holds (docs/design.md, "The state digest"):
     * the checkpoints written before are of version 1, and verify checks each with its own version. */
    "ALTER TABLE checkpoints ADD COLUMN digest_version INTEGER NOT NULL DEFAULT 1;",
    /* 8: the agenda item a meeting has under way (meeting.item). */
    "ALTER TABLE meetings ADD COLUMN item_id INTEGER;",
    /* 9: the plenary hall's layout, one row per seat (hall.layout replaces it whole) */
    "CREATE TABLE hall_seats(seat TEXT PRIMARY KEY, tier INTEGER NOT NULL, tier_name TEXT, block_position INTEGER"
    "  NOT NULL, block TEXT NOT NULL, delegation_id INTEGER REFERENCES delegations, row INTEGER NOT NULL,"
    "  number INTEGER NOT NULL);",
    /* 10: the role trustee (监票人), who holds a share of the key of verifiable ballots. SQLite cannot change
     * a CHECK in place: the table is made again with the same columns and rows. */
    "CREATE TABLE auth_accounts_v10(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL"
    "  CHECK (role IN ('secretariat', 'chair', 'delegation_secretary', 'trustee')), delegation TEXT,"
    "  password_hash TEXT NOT NULL, created_at TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO auth_accounts_v10 SELECT id, name, role, delegation, password_hash, created_at, failures,"
    "  locked_until FROM auth_accounts;"
    "DROP TABLE auth_accounts;"
    "ALTER TABLE auth_accounts_v10 RENAME TO auth_accounts;",
    /* 11: the keys of verifiable ballots and how far each trustee's part of the ceremony has got */
    "CREATE TABLE keys(id INTEGER PRIMARY KEY, threshold INTEGER NOT NULL, trustees INTEGER NOT NULL,"
    "  state TEXT NOT NULL, created_at TEXT NOT NULL, completed_at TEXT);"
    "CREATE TABLE key_trustees(key_id INTEGER NOT NULL REFERENCES keys, trustee INTEGER NOT NULL,"
    "  login TEXT NOT NULL, committed INTEGER NOT NULL, shared INTEGER NOT NULL, public_share TEXT,"
    "  PRIMARY KEY (key_id, trustee));",
    /* 12: meetings as held (their date and half-day, the people in each role, the items taken up, the
     * bulletins), motions with their co-signatures and the presidium's deadlines, the poll that decides a
     * motion, and opinions on documents with the explanations that took them up. Events of these types may
     * be in a file of version 11 already: the columns of meeting.open and poll.create are filled here from
     * the log, and the new projections are run over its events (ys_sqlite_backfills). */
    "ALTER TABLE meetings ADD COLUMN date TEXT;"
    "ALTER TABLE meetings ADD COLUMN half_day TEXT;"
    "UPDATE meetings SET"
    "  date = (SELECT json_extract(e.payload,'$.date') FROM events e"
    "    WHERE e.type = 'meeting.open' AND json_extract(e.payload,'$.id') = meetings.id),"
    "  half_day = (SELECT json_extract(e.payload,'$.half_day') FROM events e"
    "    WHERE e.type = 'meeting.open' AND json_extract(e.payload,'$.id') = meetings.id);"
    "ALTER TABLE polls ADD COLUMN motion_id INTEGER;"
    "UPDATE polls SET motion_id = (SELECT nullif(json_extract(e.payload,'$.motion'), 0) FROM events e"
    "  WHERE e.type = 'poll.create' AND json_extract(e.payload,'$.id') = polls.id);"
    "CREATE TABLE bulletins(number INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings,"
    "  time TEXT NOT NULL);"
    "CREATE TABLE meeting_people(meeting_id INTEGER NOT NULL REFERENCES meetings, role TEXT NOT NULL,"
    "  delegate_id INTEGER REFERENCES delegates, attendee_id INTEGER REFERENCES attendees, group_name TEXT,"
    "  time TEXT NOT NULL, CHECK ((delegate_id IS NULL) <> (attendee_id IS NULL)));"
    "CREATE UNIQUE INDEX meeting_people_once ON meeting_people(meeting_id, role, ifnull(delegate_id, 0),"
    "  ifnull(attendee_id, 0));"
    "CREATE TABLE meeting_takeups(meeting_id INTEGER NOT NULL REFERENCES meetings, position INTEGER NOT NULL,"
    "  item_id INTEGER NOT NULL REFERENCES agenda, action TEXT NOT NULL, document_id INTEGER REFERENCES documents,"
    "  version INTEGER, delegate_id INTEGER REFERENCES delegates, attendee_id INTEGER REFERENCES attendees,"
    "  presents TEXT, body TEXT, time TEXT NOT NULL, PRIMARY KEY (meeting_id, position), UNIQUE (meeting_id, item_id));"
    "CREATE TABLE motions(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, proposed_by TEXT NOT NULL,"
    "  lead_id INTEGER REFERENCES delegates, amends INTEGER REFERENCES motions, election_id INTEGER"
    "  REFERENCES elections, title TEXT NOT NULL, grounds TEXT, plan TEXT, addressee TEXT, person TEXT,"
    "  state TEXT NOT NULL, drafted_at TEXT NOT NULL, submitted_at TEXT, decision TEXT, decision_note TEXT,"
    "  decided_at TEXT, withdrawn_at TEXT, withdrawn_with_consent INTEGER, answer TEXT, answered_by TEXT,"
    "  answered_at TEXT, satisfaction TEXT);"
    "CREATE TABLE motion_signatures(motion_id INTEGER NOT NULL REFERENCES motions, position INTEGER NOT NULL,"
    "  delegate_id INTEGER NOT NULL REFERENCES delegates, time TEXT NOT NULL, PRIMARY KEY (motion_id, delegate_id),"
    "  UNIQUE (motion_id, position));"
    "CREATE TABLE motion_deadlines(kind TEXT PRIMARY KEY, deadline TEXT, set_at TEXT NOT NULL);"
    "CREATE TABLE opinions(id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, version INTEGER NOT NULL,"
    "  section TEXT NOT NULL, text TEXT NOT NULL, delegation_id INTEGER NOT NULL REFERENCES delegations,"
    "  delegate_id INTEGER REFERENCES delegates, meeting_id INTEGER REFERENCES meetings, taken_up_in INTEGER,"
    "  time TEXT NOT NULL, FOREIGN KEY (document_id, version) REFERENCES document_versions);"
    "CREATE TABLE document_explanations(document_id INTEGER NOT NULL, version INTEGER NOT NULL, text TEXT NOT NULL,"
    "  time TEXT NOT NULL, PRIMARY KEY (document_id, version),"
    "  FOREIGN KEY (document_id, version) REFERENCES document_versions);"
    "CREATE TABLE explanation_opinions(opinion_id INTEGER PRIMARY KEY REFERENCES opinions, document_id INTEGER"
    "  NOT NULL, version INTEGER NOT NULL, FOREIGN KEY (document_id, version) REFERENCES document_explanations);",
};

/* The event types whose projection a migration brought when events of theirs could already be in a file of
 * the version before (they were in the log and the state, with no table). When a file older than `version`
 * is migrated, the projections of these types are run over the events it holds, in order, in the
 * migration's transaction: their tables start as the log says, as verify's replay makes them. Only a type
 * that had no projection before may be listed (a replay of one that had would write its rows twice). */
static const struct ys_sqlite_backfill {
    int version;
    const char *types;
} ys_sqlite_backfills[] = {
    {12, "meeting.held meeting.person meeting.takeup bulletin.issue motion.draft motion.sign motion.submit"
         " motion.deadline motion.decide motion.withdraw motion.answer motion.rate opinion.add document.explain"},
};

/* The tables written only by projections, with the order that makes their rows comparable. */
static const char *const ys_sqlite_projection_tables[] = {
    "session ORDER BY id", "posts ORDER BY id", "delegations ORDER BY id", "delegates ORDER BY id",
    "attendees ORDER BY id", "documents ORDER BY id", "document_versions ORDER BY document_id, number",
    "agenda ORDER BY id", "meetings ORDER BY id", "attendance ORDER BY meeting_id, delegate_id",
    "polls ORDER BY id", "poll_votes ORDER BY poll_id, delegate_id", "elections ORDER BY id",
    "candidates ORDER BY election_id, position", "speeches ORDER BY id", "election_turnout ORDER BY election_id, delegate_id",
    "election_results ORDER BY election_id, name", "hall_seats ORDER BY seat",
    "keys ORDER BY id", "key_trustees ORDER BY key_id, trustee", "bulletins ORDER BY number",
    "meeting_people ORDER BY meeting_id, role, delegate_id, attendee_id", "meeting_takeups ORDER BY meeting_id, position",
    "motions ORDER BY id", "motion_signatures ORDER BY motion_id, position", "motion_deadlines ORDER BY kind",
    "opinions ORDER BY id", "document_explanations ORDER BY document_id, version", "explanation_opinions ORDER BY opinion_id",
};

/* The projection of each event type (include/yishi/events.def names the tables), as YS_PROJ_<ID>: the
 * statements to run in order, ?1 the payload JSON and ?2 the event's time, each one statement. A type
 * without a table says NO_TABLE, so that none is forgotten: the table below does not compile without
 * a YS_PROJ_ for every type. */
#define NO_TABLE NULL
#define YS_PROJ_SESSION_INIT \
    "INSERT INTO session VALUES (1, json_extract(?1,'$.assembly'), json_extract(?1,'$.term')," \
    " json_extract(?1,'$.name'), json_extract(?1,'$.rules_id'), ?2)"
#define YS_PROJ_POST_ADD \
    "INSERT INTO posts VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.rank')," \
    " json_extract(?1,'$.title'))"
#define YS_PROJ_DELEGATION_ADD \
    "INSERT INTO delegations VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.name'))"
#define YS_PROJ_DELEGATE_ADD \
    "INSERT INTO delegates VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.code')," \
    " json_extract(?1,'$.name'), json_extract(?1,'$.gender'), json_extract(?1,'$.ethnicity')," \
    " json_extract(?1,'$.delegation'), json_extract(?1,'$.seat')," \
    " (SELECT ifnull(group_concat(value, ';'), '') FROM json_each(?1, '$.roles'))," \
    " nullif(json_extract(?1,'$.post'), 0), 1)"
#define YS_PROJ_DELEGATE_END \
    "UPDATE delegates SET entitled = 0 WHERE id = json_extract(?1,'$.delegate')"
/* card.reissue: the log is its only record, logins have no projection */
#define YS_PROJ_CARD_REISSUE NO_TABLE
#define YS_PROJ_ATTENDEE_ADD \
    "INSERT INTO attendees VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.name')," \
    " json_extract(?1,'$.kind'), nullif(json_extract(?1,'$.post'), 0)," \
    " json_extract(?1,'$.affiliation'))"
#define YS_PROJ_DOCUMENT_ADD \
    "INSERT INTO documents VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.title'))"
#define YS_PROJ_DOCUMENT_VERSION \
    "INSERT INTO document_versions VALUES (json_extract(?1,'$.document')," \
    " json_extract(?1,'$.number'), json_extract(?1,'$.hash'), json_extract(?1,'$.size')," \
    " json_extract(?1,'$.note'), ?2)"
#define YS_PROJ_ITEM_ADD \
    "INSERT INTO agenda VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.order')," \
    " json_extract(?1,'$.kind'), json_extract(?1,'$.title'), json_extract(?1,'$.presenter')," \
    " nullif(json_extract(?1,'$.document'), 0))"
#define YS_PROJ_MEETING_OPEN \
    "INSERT INTO meetings (id, kind, title, delegation_id, open, opened_at, closed_at, date, half_day)" \
    " VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.kind')," \
    " json_extract(?1,'$.title'), nullif(json_extract(?1,'$.delegation'), 0), 1, ?2, NULL," \
    " json_extract(?1,'$.date'), json_extract(?1,'$.half_day'))"
#define YS_PROJ_MEETING_CLOSE \
    "UPDATE meetings SET open = 0, closed_at = ?2 WHERE id = json_extract(?1,'$.meeting')"
#define YS_PROJ_MEETING_ITEM \
    "UPDATE meetings SET item_id = json_extract(?1,'$.item') WHERE id = json_extract(?1,'$.meeting')"
#define YS_PROJ_ATTENDANCE_CHECKIN \
    "INSERT OR REPLACE INTO attendance VALUES (json_extract(?1,'$.meeting')," \
    " json_extract(?1,'$.delegate'), 'present', NULL, ?2)"
#define YS_PROJ_ATTENDANCE_LEAVE \
    "INSERT OR REPLACE INTO attendance VALUES (json_extract(?1,'$.meeting')," \
    " json_extract(?1,'$.delegate'), 'leave', json_extract(?1,'$.reason'), ?2)"
#define YS_PROJ_ATTENDANCE_ABSENT \
    "DELETE FROM attendance WHERE meeting_id = json_extract(?1,'$.meeting')" \
    " AND delegate_id = json_extract(?1,'$.delegate')"
#define YS_PROJ_SPEECH_REQUEST \
    "INSERT INTO speeches (id, meeting_id, delegate_id, state, topic, requested_at)" \
    " VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.meeting'), json_extract(?1,'$.delegate')," \
    " 'waiting', json_extract(?1,'$.topic'), ?2)"
#define YS_PROJ_SPEECH_WITHDRAW \
    "UPDATE speeches SET state = 'withdrawn' WHERE id = json_extract(?1,'$.speech')"
#define YS_PROJ_SPEECH_START \
    "UPDATE speeches SET state = 'speaking', started_at = ?2 WHERE id = json_extract(?1,'$.speech')"
#define YS_PROJ_SPEECH_END \
    "UPDATE speeches SET state = 'done', ended_at = ?2, summary = json_extract(?1,'$.summary')" \
    " WHERE id = json_extract(?1,'$.speech')"
#define YS_PROJ_POLL_CREATE \
    "INSERT INTO polls (id, item_id, title, majority, method, named, changeable, amends, state, motion_id)" \
    " VALUES (json_extract(?1,'$.id'), nullif(json_extract(?1,'$.item'), 0), json_extract(?1,'$.title')," \
    " json_extract(?1,'$.majority'), json_extract(?1,'$.method'), json_extract(?1,'$.named')," \
    " json_extract(?1,'$.changeable'), nullif(json_extract(?1,'$.amends'), 0), 'created'," \
    " nullif(json_extract(?1,'$.motion'), 0))"
#define YS_PROJ_POLL_OPEN \
    "UPDATE polls SET state = 'open', meeting_id = json_extract(?1,'$.meeting'), opened_at = ?2" \
    " WHERE id = json_extract(?1,'$.poll')"
#define YS_PROJ_POLL_VOTE \
    "INSERT OR REPLACE INTO poll_votes VALUES (json_extract(?1,'$.poll'), json_extract(?1,'$.delegate')," \
    " json_extract(?1,'$.choice'), ?2)"
/* an anonymous vote: who voted, never what */
#define YS_PROJ_POLL_CAST \
    "INSERT INTO poll_votes VALUES (json_extract(?1,'$.poll'), json_extract(?1,'$.delegate'), NULL, ?2)"
#define YS_PROJ_POLL_TOTALS \
    "UPDATE polls SET yes = json_extract(?1,'$.yes'), no = json_extract(?1,'$.no')," \
    " abstain = json_extract(?1,'$.abstain') WHERE id = json_extract(?1,'$.poll')"
#define YS_PROJ_POLL_CLOSE \
    "UPDATE polls SET state = 'closed', closed_at = ?2, entitled = json_extract(?1,'$.entitled')," \
    " present = json_extract(?1,'$.present'), yes = json_extract(?1,'$.yes'), no = json_extract(?1,'$.no')," \
    " abstain = json_extract(?1,'$.abstain'), not_voted = json_extract(?1,'$.not_voted')," \
    " passed = json_extract(?1,'$.passed') WHERE id = json_extract(?1,'$.poll')"
#define YS_PROJ_POLL_ANNOUNCE \
    "UPDATE polls SET announcement = json_extract(?1,'$.text') WHERE id = json_extract(?1,'$.poll')"
#define YS_PROJ_ELECTION_CREATE \
    "INSERT INTO elections (id, item_id, kind, office, seats, by_election, round_of, state)" \
    " VALUES (json_extract(?1,'$.id'), nullif(json_extract(?1,'$.item'), 0), json_extract(?1,'$.kind')," \
    " json_extract(?1,'$.office'), json_extract(?1,'$.seats'), json_extract(?1,'$.by_election')," \
    " nullif(json_extract(?1,'$.round_of'), 0), 'created')"
#define YS_PROJ_ELECTION_NOMINATE \
    "INSERT INTO candidates SELECT json_extract(?1,'$.election'), count(*) + 1," \
    " json_extract(?1,'$.name'), json_extract(?1,'$.by') FROM candidates" \
    " WHERE election_id = json_extract(?1,'$.election')"
#define YS_PROJ_ELECTION_OPEN \
    "UPDATE elections SET state = 'open', meeting_id = json_extract(?1,'$.meeting'), opened_at = ?2," \
    " ballots_issued = json_extract(?1,'$.issued') WHERE id = json_extract(?1,'$.election')"
/* a secret ballot: who turned one in, never what it said */
#define YS_PROJ_ELECTION_CAST \
    "INSERT INTO election_turnout VALUES (json_extract(?1,'$.election')," \
    " json_extract(?1,'$.delegate'), ?2)"
#define YS_PROJ_ELECTION_CLOSE \
    "UPDATE elections SET state = 'closed', closed_at = ?2," \
    " ballots_returned = json_extract(?1,'$.returned')," \
    " ballots_void = json_extract(?1,'$.result.ballots_void'), valid = json_extract(?1,'$.result.valid')," \
    " threshold = json_extract(?1,'$.result.threshold'), result = json_extract(?1,'$.result')" \
    " WHERE id = json_extract(?1,'$.election')", \
    "INSERT INTO election_results SELECT json_extract(?1,'$.election'), json_extract(c.value,'$.name')," \
    " json_extract(c.value,'$.yes'), json_extract(c.value,'$.no'), json_extract(c.value,'$.abstain')," \
    " ifnull(json_extract(c.value,'$.write_in'), 0)," \
    " coalesce(json_extract(c.value,'$.elected'), json_extract(c.value,'$.formal'), 0)," \
    " EXISTS (SELECT 1 FROM json_each(?1,'$.result.tied') t WHERE t.value = json_extract(c.value,'$.name'))" \
    " FROM json_each(?1,'$.result.candidates') c"
/* a verifiable election's count, which its trustees' decryptions bring after the close */
#define YS_PROJ_ELECTION_COUNT \
    "UPDATE elections SET ballots_void = json_extract(?1,'$.result.ballots_void')," \
    " valid = json_extract(?1,'$.result.valid'), threshold = json_extract(?1,'$.result.threshold')," \
    " result = json_extract(?1,'$.result') WHERE id = json_extract(?1,'$.election')", \
    "INSERT INTO election_results SELECT json_extract(?1,'$.election'), json_extract(c.value,'$.name')," \
    " json_extract(c.value,'$.yes'), json_extract(c.value,'$.no'), json_extract(c.value,'$.abstain')," \
    " ifnull(json_extract(c.value,'$.write_in'), 0)," \
    " coalesce(json_extract(c.value,'$.elected'), json_extract(c.value,'$.formal'), 0)," \
    " EXISTS (SELECT 1 FROM json_each(?1,'$.result.tied') t WHERE t.value = json_extract(c.value,'$.name'))" \
    " FROM json_each(?1,'$.result.candidates') c"
#define YS_PROJ_ELECTION_DECRYPT NO_TABLE
/* a verifiable poll's totals, which its trustees' decryptions bring after the close */
#define YS_PROJ_POLL_DECRYPT NO_TABLE
/* a trustee's shuffle of an election's write-ins: on the board (the log) only */
#define YS_PROJ_ELECTION_SHUFFLE NO_TABLE
/* corrections: what the event sets, the rest as it was (a null clears where a field may be empty) */
#define YS_PROJ_DELEGATE_CORRECT \
    "UPDATE delegates SET name = coalesce(json_extract(?1,'$.set.name'), name)," \
    " gender = coalesce(json_extract(?1,'$.set.gender'), gender)," \
    " ethnicity = coalesce(json_extract(?1,'$.set.ethnicity'), ethnicity)," \
    " delegation_id = coalesce(json_extract(?1,'$.set.delegation'), delegation_id)," \
    " post_id = CASE WHEN json_type(?1,'$.set.post') IS NULL THEN post_id" \
    " ELSE nullif(json_extract(?1,'$.set.post'), 0) END WHERE id = json_extract(?1,'$.delegate')"
#define YS_PROJ_ITEM_CORRECT \
    "UPDATE agenda SET title = coalesce(json_extract(?1,'$.set.title'), title)," \
    " kind = coalesce(json_extract(?1,'$.set.kind'), kind)," \
    " presenter = CASE WHEN json_type(?1,'$.set.presenter') IS NULL THEN presenter" \
    " ELSE json_extract(?1,'$.set.presenter') END," \
    " document_id = CASE WHEN json_type(?1,'$.set.document') IS NULL THEN document_id" \
    " ELSE nullif(json_extract(?1,'$.set.document'), 0) END WHERE id = json_extract(?1,'$.item')"
#define YS_PROJ_ATTENDEE_CORRECT \
    "UPDATE attendees SET name = coalesce(json_extract(?1,'$.set.name'), name)," \
    " kind = coalesce(json_extract(?1,'$.set.kind'), kind)," \
    " post_id = CASE WHEN json_type(?1,'$.set.post') IS NULL THEN post_id" \
    " ELSE nullif(json_extract(?1,'$.set.post'), 0) END," \
    " affiliation = CASE WHEN json_type(?1,'$.set.affiliation') IS NULL THEN affiliation" \
    " ELSE json_extract(?1,'$.set.affiliation') END WHERE id = json_extract(?1,'$.attendee')"
/* a meeting as held: the date and half-day replace those it was opened with; a person taken back is deleted;
 * an item taken up is numbered in its meeting's order (position 1 the first) */
#define YS_PROJ_MEETING_HELD \
    "UPDATE meetings SET date = json_extract(?1,'$.date'), half_day = json_extract(?1,'$.half_day')" \
    " WHERE id = json_extract(?1,'$.meeting')"
#define YS_PROJ_MEETING_PERSON \
    "DELETE FROM meeting_people WHERE json_extract(?1,'$.remove') AND meeting_id = json_extract(?1,'$.meeting')" \
    " AND role = json_extract(?1,'$.role') AND delegate_id IS json_extract(?1,'$.delegate')" \
    " AND attendee_id IS json_extract(?1,'$.attendee')", \
    "INSERT INTO meeting_people SELECT json_extract(?1,'$.meeting'), json_extract(?1,'$.role')," \
    " json_extract(?1,'$.delegate'), json_extract(?1,'$.attendee'), json_extract(?1,'$.group'), ?2" \
    " WHERE NOT ifnull(json_extract(?1,'$.remove'), 0)"
#define YS_PROJ_MEETING_TAKEUP \
    "INSERT INTO meeting_takeups SELECT json_extract(?1,'$.meeting'), count(*) + 1, json_extract(?1,'$.item')," \
    " json_extract(?1,'$.action'), json_extract(?1,'$.document'), json_extract(?1,'$.version')," \
    " json_extract(?1,'$.delegate'), json_extract(?1,'$.attendee'), json_extract(?1,'$.presents')," \
    " json_extract(?1,'$.body'), ?2 FROM meeting_takeups WHERE meeting_id = json_extract(?1,'$.meeting')"
#define YS_PROJ_BULLETIN_ISSUE \
    "INSERT INTO bulletins VALUES (json_extract(?1,'$.number'), json_extract(?1,'$.meeting'), ?2)"
/* motions: the lead's is signature 1; a body's recall is submitted as it is made; a second answer (再作答复)
 * replaces the first and the satisfaction with it; a deadline lifted ("") is NULL */
#define YS_PROJ_MOTION_DRAFT \
    "INSERT INTO motions (id, kind, proposed_by, lead_id, amends, election_id, title, grounds, plan, addressee," \
    " person, state, drafted_at, submitted_at) VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.kind')," \
    " json_extract(?1,'$.by'), json_extract(?1,'$.lead'), json_extract(?1,'$.amends')," \
    " json_extract(?1,'$.election'), json_extract(?1,'$.title'), json_extract(?1,'$.grounds')," \
    " json_extract(?1,'$.plan'), json_extract(?1,'$.addressee'), json_extract(?1,'$.person')," \
    " CASE json_extract(?1,'$.by') WHEN 'delegates' THEN 'draft' ELSE 'submitted' END, ?2," \
    " CASE json_extract(?1,'$.by') WHEN 'delegates' THEN NULL ELSE ?2 END)", \
    "INSERT INTO motion_signatures SELECT json_extract(?1,'$.id'), 1, json_extract(?1,'$.lead'), ?2" \
    " WHERE json_extract(?1,'$.lead') IS NOT NULL"
#define YS_PROJ_MOTION_SIGN \
    "INSERT INTO motion_signatures SELECT json_extract(?1,'$.motion'), count(*) + 1," \
    " json_extract(?1,'$.delegate'), ?2 FROM motion_signatures WHERE motion_id = json_extract(?1,'$.motion')"
#define YS_PROJ_MOTION_SUBMIT \
    "UPDATE motions SET state = 'submitted', submitted_at = ?2 WHERE id = json_extract(?1,'$.motion')"
#define YS_PROJ_MOTION_DEADLINE \
    "INSERT OR REPLACE INTO motion_deadlines VALUES (json_extract(?1,'$.kind')," \
    " nullif(json_extract(?1,'$.until'), ''), ?2)"
#define YS_PROJ_MOTION_DECIDE \
    "UPDATE motions SET state = 'decided', decision = json_extract(?1,'$.decision')," \
    " decision_note = json_extract(?1,'$.note'), decided_at = ?2 WHERE id = json_extract(?1,'$.motion')"
#define YS_PROJ_MOTION_WITHDRAW \
    "UPDATE motions SET state = 'withdrawn', withdrawn_at = ?2," \
    " withdrawn_with_consent = json_extract(?1,'$.consent') WHERE id = json_extract(?1,'$.motion')"
#define YS_PROJ_MOTION_ANSWER \
    "UPDATE motions SET answer = json_extract(?1,'$.text'), answered_by = json_extract(?1,'$.by')," \
    " answered_at = ?2, satisfaction = NULL WHERE id = json_extract(?1,'$.motion')"
#define YS_PROJ_MOTION_RATE \
    "UPDATE motions SET satisfaction = json_extract(?1,'$.rating') WHERE id = json_extract(?1,'$.motion')"
/* opinions on documents (in the file, which its holder reads; the streams show them to staff only), and a
 * version's explanation with the opinions it took up */
#define YS_PROJ_OPINION_ADD \
    "INSERT INTO opinions VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.document')," \
    " json_extract(?1,'$.version'), json_extract(?1,'$.section'), json_extract(?1,'$.text')," \
    " json_extract(?1,'$.delegation'), json_extract(?1,'$.delegate'), json_extract(?1,'$.meeting'), NULL, ?2)"
#define YS_PROJ_DOCUMENT_EXPLAIN \
    "INSERT INTO document_explanations VALUES (json_extract(?1,'$.document'), json_extract(?1,'$.version')," \
    " json_extract(?1,'$.text'), ?2)", \
    "INSERT INTO explanation_opinions SELECT t.value, json_extract(?1,'$.document'), json_extract(?1,'$.version')" \
    " FROM json_each(?1,'$.taken_up') t", \
    "UPDATE opinions SET taken_up_in = json_extract(?1,'$.version')" \
    " WHERE id IN (SELECT value FROM json_each(?1,'$.taken_up'))"
#define YS_PROJ_POLL_COUNT \
    "UPDATE polls SET yes = json_extract(?1,'$.yes'), no = json_extract(?1,'$.no')," \
    " abstain = json_extract(?1,'$.abstain'), not_voted = json_extract(?1,'$.not_voted')," \
    " passed = json_extract(?1,'$.passed') WHERE id = json_extract(?1,'$.poll')"
#define YS_PROJ_ELECTION_ANNOUNCE \
    "UPDATE elections SET announcement = json_extract(?1,'$.text')" \
    " WHERE id = json_extract(?1,'$.election')"
/* the layout replaces the one before; block_position is the block's place in its tier, 1 the leftmost */
#define YS_PROJ_HALL_LAYOUT \
    "DELETE FROM hall_seats ", \
    "INSERT INTO hall_seats SELECT json_extract(x.value,'$[1]'), json_extract(t.value,'$.tier')," \
    " json_extract(t.value,'$.name'), b.key + 1, json_extract(b.value,'$.name')," \
    " nullif(json_extract(b.value,'$.delegation'), 0), json_extract(r.value,'$.row'), json_extract(x.value,'$[0]')" \
    " FROM json_each(?1,'$.tiers') t, json_each(t.value,'$.blocks') b, json_each(b.value,'$.rows') r," \
    " json_each(r.value,'$.seats') x"
/* a move: the mover's seat is freed first, so that a swap never holds one seat twice */
#define YS_PROJ_DELEGATE_SEAT \
    "UPDATE delegates SET seat = NULL WHERE id = json_extract(?1,'$.delegate')", \
    "UPDATE delegates SET seat = json_extract(?1,'$.from') WHERE id = json_extract(?1,'$.swap')", \
    "UPDATE delegates SET seat = json_extract(?1,'$.seat') WHERE id = json_extract(?1,'$.delegate')"
/* the key ceremony: each step of each trustee, and the key's state once every trustee has taken it */
#define YS_PROJ_KEY_CREATE \
    "INSERT INTO keys VALUES (json_extract(?1,'$.id'), json_extract(?1,'$.threshold')," \
    " json_array_length(?1,'$.trustees'), 'committing', ?2, NULL)", \
    "INSERT INTO key_trustees SELECT json_extract(?1,'$.id'), t.key + 1, t.value, 0, 0, NULL" \
    " FROM json_each(?1,'$.trustees') t"
#define YS_PROJ_KEY_STEP(column, next) \
    "UPDATE key_trustees SET " column " = 1" \
    " WHERE key_id = json_extract(?1,'$.key') AND trustee = json_extract(?1,'$.trustee')", \
    "UPDATE keys SET state = '" next "' WHERE id = json_extract(?1,'$.key') AND NOT EXISTS" \
    " (SELECT 1 FROM key_trustees WHERE key_id = json_extract(?1,'$.key') AND " column " = 0)"
#define YS_PROJ_KEY_COMMIT YS_PROJ_KEY_STEP("committed", "sharing")
#define YS_PROJ_KEY_SHARES YS_PROJ_KEY_STEP("shared", "publishing")
#define YS_PROJ_KEY_READY \
    "UPDATE key_trustees SET public_share = json_extract(?1,'$.share')" \
    " WHERE key_id = json_extract(?1,'$.key') AND trustee = json_extract(?1,'$.trustee')", \
    "UPDATE keys SET state = 'complete', completed_at = ?2 WHERE id = json_extract(?1,'$.key') AND NOT EXISTS" \
    " (SELECT 1 FROM key_trustees WHERE key_id = json_extract(?1,'$.key') AND public_share IS NULL)"
#define YS_PROJ_KEY_COMPLAINT "UPDATE keys SET state = 'failed' WHERE id = json_extract(?1,'$.key')"
#define YS_PROJ_POLL_BALLOT NO_TABLE     /* sealed: the ballot box, written by ys_store_put_sealed */
#define YS_PROJ_ELECTION_BALLOT NO_TABLE

#define YS_PROJ_MAX 3 /* statements of one type at most */

static const char *const ys_sqlite_projections[YS_EV_N][YS_PROJ_MAX] = {
#define YS_EVENT(id, type, apply, view, secret, tables, vote) [YS_EV_##id] = {YS_PROJ_##id},
#include "yishi/events.def"
#undef YS_EVENT
};

#endif
