/* schema_pg.h — the PostgreSQL schema of a database of many sessions, its migrations, and the projection
 * of each event type into the query tables: schema_sqlite.h's statements written against jsonb, with every
 * row under its session's id. $1 is the payload (jsonb), $2 the event's time, $3 the session. */
#ifndef YS_STORE_SCHEMA_PG_H
#define YS_STORE_SCHEMA_PG_H

/* The tables of one database, shared by its sessions: every table but the registry (organisations,
 * congresses, sessions) carries session_id and leads its primary key with it, so that one session's rows
 * live together and the tables can be distributed by session_id (docs/design.md, "Many sessions in one
 * PostgreSQL database"). The columns are schema_sqlite.h's, in its order, after session_id; what SQLite
 * keeps as a JSON text (an election's result) is jsonb here. migrations[v-1] takes a database from v-1 to v;
 * never edit a shipped one. */
static const char *const ys_pg_migrations[] = {
    /* 1: the registry, the log, the ballot box and the projections of schema_sqlite.h version 11 */
    "CREATE TABLE yishi_schema(version integer NOT NULL);"
    "INSERT INTO yishi_schema VALUES (0);"
    "CREATE TABLE organisations(id serial PRIMARY KEY, name text NOT NULL UNIQUE);"
    "CREATE TABLE congresses(id serial PRIMARY KEY, organisation_id integer REFERENCES organisations,"
    "  name text NOT NULL);"
    "CREATE TABLE sessions(id serial PRIMARY KEY, congress_id integer REFERENCES congresses,"
    "  created_at timestamptz NOT NULL DEFAULT now());"
    /* A number or a boolean of a payload as SQLite's json_extract gives it (true 1, false 0), else NULL. */
    "CREATE FUNCTION yishi_int(v jsonb) RETURNS bigint LANGUAGE sql IMMUTABLE AS"
    "  $$ SELECT CASE jsonb_typeof(v) WHEN 'number' THEN (v #>> '{}')::numeric::bigint"
    "  WHEN 'boolean' THEN (v #>> '{}')::boolean::int END $$;"
    /* The log is append-only; a whole session is removed only by ys_store_discard, which says which. */
    "CREATE FUNCTION yishi_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    "  IF TG_OP = 'DELETE' AND current_setting('yishi.discard', true) = OLD.session_id::text THEN RETURN OLD;"
    "  END IF; RAISE EXCEPTION 'the session log is append-only'; END $$;"
    "CREATE TABLE events(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, seq bigint NOT NULL,"
    "  time text NOT NULL, actor text NOT NULL, type text NOT NULL, payload text NOT NULL, prev_hash text NOT NULL,"
    "  hash text NOT NULL, PRIMARY KEY (session_id, seq));"
    "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events"
    "  FOR EACH ROW EXECUTE FUNCTION yishi_append_only();"
    "CREATE TABLE checkpoints(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  seq bigint NOT NULL, state_digest text NOT NULL, digest_version integer NOT NULL DEFAULT 1,"
    "  PRIMARY KEY (session_id, seq));"
    "CREATE TABLE blobs(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, hash text NOT NULL,"
    "  size bigint NOT NULL, content bytea NOT NULL, PRIMARY KEY (session_id, hash));"
    "CREATE TABLE ballot_box(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  id text COLLATE \"C\" NOT NULL, kind text NOT NULL, ref bigint NOT NULL, content text NOT NULL,"
    "  PRIMARY KEY (session_id, id));"
    "CREATE TABLE session(session_id integer PRIMARY KEY REFERENCES sessions ON DELETE CASCADE, assembly text,"
    "  term text, name text, rules_id text, initialized_at text);"
    "CREATE TABLE posts(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  rank bigint NOT NULL, title text NOT NULL, PRIMARY KEY (session_id, id), UNIQUE (session_id, title));"
    "CREATE TABLE delegations(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  name text NOT NULL, PRIMARY KEY (session_id, id), UNIQUE (session_id, name));"
    "CREATE TABLE delegates(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  code text NOT NULL, name text NOT NULL, gender text NOT NULL, ethnicity text NOT NULL,"
    "  delegation_id bigint NOT NULL, seat text, roles text NOT NULL, post_id bigint, entitled bigint NOT NULL,"
    "  PRIMARY KEY (session_id, id), UNIQUE (session_id, code), UNIQUE (session_id, seat));"
    "CREATE TABLE attendees(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  name text NOT NULL, kind text NOT NULL, post_id bigint, affiliation text, PRIMARY KEY (session_id, id));"
    "CREATE TABLE documents(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  title text NOT NULL, PRIMARY KEY (session_id, id), UNIQUE (session_id, title));"
    "CREATE TABLE document_versions(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  document_id bigint NOT NULL, number bigint NOT NULL, hash text NOT NULL, size bigint NOT NULL, note text,"
    "  time text NOT NULL, PRIMARY KEY (session_id, document_id, number));"
    "CREATE TABLE agenda(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  position bigint NOT NULL, kind text NOT NULL, title text NOT NULL, presenter text, document_id bigint,"
    "  PRIMARY KEY (session_id, id), UNIQUE (session_id, position));"
    "CREATE TABLE meetings(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  kind text NOT NULL, title text NOT NULL, delegation_id bigint, open bigint NOT NULL, opened_at text,"
    "  closed_at text, item_id bigint, PRIMARY KEY (session_id, id));"
    "CREATE TABLE attendance(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  meeting_id bigint NOT NULL, delegate_id bigint NOT NULL, status text NOT NULL, reason text, time text NOT NULL,"
    "  PRIMARY KEY (session_id, meeting_id, delegate_id));"
    "CREATE TABLE polls(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  item_id bigint, title text NOT NULL, majority text NOT NULL, method text NOT NULL, named bigint NOT NULL,"
    "  changeable bigint NOT NULL, amends bigint, state text NOT NULL, meeting_id bigint, opened_at text,"
    "  closed_at text, entitled bigint, present bigint, yes bigint, no bigint, abstain bigint, not_voted bigint,"
    "  passed bigint, announcement text, PRIMARY KEY (session_id, id));"
    "CREATE TABLE poll_votes(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  poll_id bigint NOT NULL, delegate_id bigint NOT NULL, choice text, time text NOT NULL,"
    "  PRIMARY KEY (session_id, poll_id, delegate_id));"
    "CREATE TABLE elections(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  item_id bigint, kind text NOT NULL, office text NOT NULL, seats bigint NOT NULL, by_election bigint NOT NULL,"
    "  round_of bigint, state text NOT NULL, meeting_id bigint, opened_at text, closed_at text,"
    "  ballots_issued bigint, ballots_returned bigint, ballots_void bigint, valid bigint, threshold bigint,"
    "  result jsonb, announcement text, PRIMARY KEY (session_id, id));"
    "CREATE TABLE candidates(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  election_id bigint NOT NULL, position bigint NOT NULL, name text NOT NULL, nominated_by text NOT NULL,"
    "  PRIMARY KEY (session_id, election_id, position));"
    "CREATE TABLE election_turnout(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  election_id bigint NOT NULL, delegate_id bigint NOT NULL, time text NOT NULL,"
    "  PRIMARY KEY (session_id, election_id, delegate_id));"
    "CREATE TABLE election_results(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  election_id bigint NOT NULL, name text NOT NULL, yes bigint NOT NULL, no bigint NOT NULL,"
    "  abstain bigint NOT NULL, write_in bigint NOT NULL, elected bigint NOT NULL, tied bigint NOT NULL,"
    "  PRIMARY KEY (session_id, election_id, name));"
    "CREATE TABLE speeches(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  meeting_id bigint NOT NULL, delegate_id bigint NOT NULL, state text NOT NULL, topic text, summary text,"
    "  requested_at text NOT NULL, started_at text, ended_at text, PRIMARY KEY (session_id, id));"
    "CREATE TABLE hall_seats(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, seat text NOT NULL,"
    "  tier bigint NOT NULL, tier_name text, block_position bigint NOT NULL, block text NOT NULL,"
    "  delegation_id bigint, row bigint NOT NULL, number bigint NOT NULL, PRIMARY KEY (session_id, seat));"
    "CREATE TABLE keys(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  threshold bigint NOT NULL, trustees bigint NOT NULL, state text NOT NULL, created_at text NOT NULL,"
    "  completed_at text, PRIMARY KEY (session_id, id));"
    "CREATE TABLE key_trustees(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  key_id bigint NOT NULL, trustee bigint NOT NULL, login text NOT NULL, committed bigint NOT NULL,"
    "  shared bigint NOT NULL, public_share text, PRIMARY KEY (session_id, key_id, trustee));",
    /* 2: schema_sqlite.h's version 12: meetings as held, motions with their co-signatures and the presidium's
     * deadlines, the poll that decides a motion, opinions and the explanations that took them up. A database
     * of version 1 may hold events of these types already: the new columns are filled here from the log, and
     * the new projections are run over its events, session by session (ys_pg_backfills). */
    "ALTER TABLE meetings ADD COLUMN date text, ADD COLUMN half_day text;"
    "UPDATE meetings m SET date = e.payload::jsonb->>'date', half_day = e.payload::jsonb->>'half_day' FROM events e"
    "  WHERE e.session_id = m.session_id AND e.type = 'meeting.open' AND yishi_int(e.payload::jsonb->'id') = m.id;"
    "ALTER TABLE polls ADD COLUMN motion_id bigint;"
    "UPDATE polls p SET motion_id = nullif(yishi_int(e.payload::jsonb->'motion'), 0) FROM events e"
    "  WHERE e.session_id = p.session_id AND e.type = 'poll.create' AND yishi_int(e.payload::jsonb->'id') = p.id;"
    "CREATE TABLE bulletins(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, number bigint NOT NULL,"
    "  meeting_id bigint NOT NULL, time text NOT NULL, PRIMARY KEY (session_id, number));"
    "CREATE TABLE meeting_people(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  meeting_id bigint NOT NULL, role text NOT NULL, delegate_id bigint, attendee_id bigint, group_name text,"
    "  time text NOT NULL, CHECK ((delegate_id IS NULL) <> (attendee_id IS NULL)));"
    "CREATE UNIQUE INDEX meeting_people_once ON meeting_people(session_id, meeting_id, role,"
    "  coalesce(delegate_id, 0), coalesce(attendee_id, 0));"
    "CREATE TABLE meeting_takeups(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  meeting_id bigint NOT NULL, position bigint NOT NULL, item_id bigint NOT NULL, action text NOT NULL,"
    "  document_id bigint, version bigint, delegate_id bigint, attendee_id bigint, presents text, body text,"
    "  time text NOT NULL, PRIMARY KEY (session_id, meeting_id, position), UNIQUE (session_id, meeting_id, item_id));"
    "CREATE TABLE motions(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  kind text NOT NULL, proposed_by text NOT NULL, lead_id bigint, amends bigint, election_id bigint,"
    "  title text NOT NULL, grounds text, plan text, addressee text, person text, state text NOT NULL,"
    "  drafted_at text NOT NULL, submitted_at text, decision text, decision_note text, decided_at text,"
    "  withdrawn_at text, withdrawn_with_consent bigint, answer text, answered_by text, answered_at text,"
    "  satisfaction text, PRIMARY KEY (session_id, id));"
    "CREATE TABLE motion_signatures(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  motion_id bigint NOT NULL, position bigint NOT NULL, delegate_id bigint NOT NULL, time text NOT NULL,"
    "  PRIMARY KEY (session_id, motion_id, delegate_id), UNIQUE (session_id, motion_id, position));"
    "CREATE TABLE motion_deadlines(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  kind text NOT NULL, deadline text, set_at text NOT NULL, PRIMARY KEY (session_id, kind));"
    "CREATE TABLE opinions(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE, id bigint NOT NULL,"
    "  document_id bigint NOT NULL, version bigint NOT NULL, section text NOT NULL, text text NOT NULL,"
    "  delegation_id bigint NOT NULL, delegate_id bigint, meeting_id bigint, taken_up_in bigint, time text NOT NULL,"
    "  PRIMARY KEY (session_id, id));"
    "CREATE TABLE document_explanations(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  document_id bigint NOT NULL, version bigint NOT NULL, text text NOT NULL, time text NOT NULL,"
    "  PRIMARY KEY (session_id, document_id, version));"
    "CREATE TABLE explanation_opinions(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  opinion_id bigint NOT NULL, document_id bigint NOT NULL, version bigint NOT NULL,"
    "  PRIMARY KEY (session_id, opinion_id));",
    /* 3: the logins beside the log (schema_sqlite.h's auth_ tables): staff accounts and the failed-login buckets
     * per congress, so that one login serves every session of a congress and none of another's; cards, tokens
     * and known devices per session. A congress's name is unique within its organisation, and a session made
     * before this version joins a congress of its own. */
    "CREATE UNIQUE INDEX congresses_name ON congresses ((coalesce(organisation_id, 0)), name);"
    "INSERT INTO congresses (name) SELECT 'session ' || id FROM sessions WHERE congress_id IS NULL;"
    "UPDATE sessions s SET congress_id = c.id FROM congresses c WHERE s.congress_id IS NULL"
    "  AND c.organisation_id IS NULL AND c.name = 'session ' || s.id;"
    "CREATE TABLE auth_accounts(congress_id integer NOT NULL REFERENCES congresses ON DELETE CASCADE,"
    "  id serial NOT NULL, name text NOT NULL, role text NOT NULL"
    "  CHECK (role IN ('secretariat', 'chair', 'delegation_secretary', 'trustee')), delegation text,"
    "  password_hash text NOT NULL, created_at text NOT NULL, PRIMARY KEY (congress_id, name));"
    "CREATE TABLE auth_cards(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  delegate_code text NOT NULL, card_hash text NOT NULL, pin_hash text, issued_at text NOT NULL,"
    "  PRIMARY KEY (session_id, delegate_code), UNIQUE (session_id, card_hash));"
    "CREATE TABLE auth_tokens(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  token_hash text NOT NULL, kind text NOT NULL CHECK (kind IN ('account', 'card')), subject text NOT NULL,"
    "  created_at bigint NOT NULL, expires_at bigint NOT NULL, revoked integer NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (session_id, token_hash));"
    "CREATE INDEX auth_tokens_subject ON auth_tokens (session_id, kind, subject);"
    "CREATE TABLE auth_throttle(congress_id integer NOT NULL REFERENCES congresses ON DELETE CASCADE,"
    "  key text NOT NULL, level double precision NOT NULL, at bigint NOT NULL, PRIMARY KEY (congress_id, key));"
    "CREATE TABLE auth_devices(session_id integer NOT NULL REFERENCES sessions ON DELETE CASCADE,"
    "  device_hash text NOT NULL, subject text NOT NULL, used_at bigint NOT NULL,"
    "  PRIMARY KEY (session_id, device_hash, subject));"
    "CREATE INDEX auth_devices_subject ON auth_devices (session_id, subject);",
};

/* The event types whose projection a migration brought when events of theirs could already be in the database
 * (schema_sqlite.h's ys_sqlite_backfills): when a database older than `version` is migrated, their projections
 * are run over the events it holds, session by session and in order, in the migration's transaction. */
static const struct ys_pg_backfill {
    int version;
    const char *types;
} ys_pg_backfills[] = {
    {2, "meeting.held meeting.person meeting.takeup bulletin.issue motion.draft motion.sign motion.submit"
        " motion.deadline motion.decide motion.withdraw motion.answer motion.rate opinion.add document.explain"},
};

/* The tables written only by projections, with the order that makes a session's rows comparable. */
static const struct {
    const char *table, *order;
} ys_pg_projection_tables[] = {
    {"session", "session_id"}, {"posts", "id"}, {"delegations", "id"}, {"delegates", "id"}, {"attendees", "id"},
    {"documents", "id"}, {"document_versions", "document_id, number"}, {"agenda", "id"}, {"meetings", "id"},
    {"attendance", "meeting_id, delegate_id"}, {"polls", "id"}, {"poll_votes", "poll_id, delegate_id"},
    {"elections", "id"}, {"candidates", "election_id, position"}, {"speeches", "id"},
    {"election_turnout", "election_id, delegate_id"}, {"election_results", "election_id, name"},
    {"hall_seats", "seat"}, {"keys", "id"}, {"key_trustees", "key_id, trustee"}, {"bulletins", "number"},
    /* SQLite puts NULL first, PostgreSQL last: NULLS FIRST gives a file's order */
    {"meeting_people", "meeting_id, role, delegate_id NULLS FIRST, attendee_id NULLS FIRST"},
    {"meeting_takeups", "meeting_id, position"}, {"motions", "id"}, {"motion_signatures", "motion_id, position"},
    {"motion_deadlines", "kind"}, {"opinions", "id"}, {"document_explanations", "document_id, version"},
    {"explanation_opinions", "opinion_id"},
};

/* The projection of each event type, as YS_PG_<ID>, statement for statement schema_sqlite.h's YS_PROJ_<ID>:
 * json_extract(?1,'$.x') is yishi_int($1->'x') for a number and $1->>'x' for a text, json_each is
 * jsonb_array_elements (WITH ORDINALITY for its key), INSERT OR REPLACE is ON CONFLICT DO UPDATE. The table
 * below does not compile without one for every type of events.def. */
#define NO_TABLE NULL
#define YS_PG_SESSION_INIT \
    "INSERT INTO session VALUES ($3, $1->>'assembly', $1->>'term', $1->>'name', $1->>'rules_id', $2)"
#define YS_PG_POST_ADD "INSERT INTO posts VALUES ($3, yishi_int($1->'id'), yishi_int($1->'rank'), $1->>'title')"
#define YS_PG_DELEGATION_ADD "INSERT INTO delegations VALUES ($3, yishi_int($1->'id'), $1->>'name')"
#define YS_PG_DELEGATE_ADD \
    "INSERT INTO delegates VALUES ($3, yishi_int($1->'id'), $1->>'code', $1->>'name', $1->>'gender'," \
    " $1->>'ethnicity', yishi_int($1->'delegation'), $1->>'seat'," \
    " coalesce((SELECT string_agg(r, ';' ORDER BY n) FROM jsonb_array_elements_text($1->'roles')" \
    " WITH ORDINALITY x(r, n)), ''), nullif(yishi_int($1->'post'), 0), 1)"
#define YS_PG_DELEGATE_END \
    "UPDATE delegates SET entitled = 0 WHERE session_id = $3 AND id = yishi_int($1->'delegate')"
#define YS_PG_CARD_REISSUE NO_TABLE
#define YS_PG_ATTENDEE_ADD \
    "INSERT INTO attendees VALUES ($3, yishi_int($1->'id'), $1->>'name', $1->>'kind'," \
    " nullif(yishi_int($1->'post'), 0), $1->>'affiliation')"
#define YS_PG_DOCUMENT_ADD "INSERT INTO documents VALUES ($3, yishi_int($1->'id'), $1->>'title')"
#define YS_PG_DOCUMENT_VERSION \
    "INSERT INTO document_versions VALUES ($3, yishi_int($1->'document'), yishi_int($1->'number'), $1->>'hash'," \
    " yishi_int($1->'size'), $1->>'note', $2)"
#define YS_PG_ITEM_ADD \
    "INSERT INTO agenda VALUES ($3, yishi_int($1->'id'), yishi_int($1->'order'), $1->>'kind', $1->>'title'," \
    " $1->>'presenter', nullif(yishi_int($1->'document'), 0))"
#define YS_PG_MEETING_OPEN \
    "INSERT INTO meetings (session_id, id, kind, title, delegation_id, open, opened_at, closed_at, date, half_day)" \
    " VALUES ($3, yishi_int($1->'id'), $1->>'kind', $1->>'title', nullif(yishi_int($1->'delegation'), 0), 1, $2, NULL," \
    " $1->>'date', $1->>'half_day')"
#define YS_PG_MEETING_CLOSE \
    "UPDATE meetings SET open = 0, closed_at = $2 WHERE session_id = $3 AND id = yishi_int($1->'meeting')"
#define YS_PG_MEETING_ITEM \
    "UPDATE meetings SET item_id = yishi_int($1->'item') WHERE session_id = $3 AND id = yishi_int($1->'meeting')"
#define YS_PG_ATTENDANCE(status, reason) \
    "INSERT INTO attendance VALUES ($3, yishi_int($1->'meeting'), yishi_int($1->'delegate'), '" status "', " \
    reason ", $2) ON CONFLICT (session_id, meeting_id, delegate_id) DO UPDATE" \
    " SET status = excluded.status, reason = excluded.reason, time = excluded.time"
#define YS_PG_ATTENDANCE_CHECKIN YS_PG_ATTENDANCE("present", "NULL")
#define YS_PG_ATTENDANCE_LEAVE YS_PG_ATTENDANCE("leave", "$1->>'reason'")
#define YS_PG_ATTENDANCE_ABSENT \
    "DELETE FROM attendance WHERE session_id = $3 AND meeting_id = yishi_int($1->'meeting')" \
    " AND delegate_id = yishi_int($1->'delegate')"
#define YS_PG_SPEECH_REQUEST \
    "INSERT INTO speeches (session_id, id, meeting_id, delegate_id, state, topic, requested_at)" \
    " VALUES ($3, yishi_int($1->'id'), yishi_int($1->'meeting'), yishi_int($1->'delegate'), 'waiting'," \
    " $1->>'topic', $2)"
#define YS_PG_SPEECH_WITHDRAW \
    "UPDATE speeches SET state = 'withdrawn' WHERE session_id = $3 AND id = yishi_int($1->'speech')"
#define YS_PG_SPEECH_START \
    "UPDATE speeches SET state = 'speaking', started_at = $2 WHERE session_id = $3 AND id = yishi_int($1->'speech')"
#define YS_PG_SPEECH_END \
    "UPDATE speeches SET state = 'done', ended_at = $2, summary = $1->>'summary'" \
    " WHERE session_id = $3 AND id = yishi_int($1->'speech')"
#define YS_PG_POLL_CREATE \
    "INSERT INTO polls (session_id, id, item_id, title, majority, method, named, changeable, amends, state, motion_id)" \
    " VALUES ($3, yishi_int($1->'id'), nullif(yishi_int($1->'item'), 0), $1->>'title', $1->>'majority'," \
    " $1->>'method', yishi_int($1->'named'), yishi_int($1->'changeable'), nullif(yishi_int($1->'amends'), 0)," \
    " 'created', nullif(yishi_int($1->'motion'), 0))"
#define YS_PG_POLL_OPEN \
    "UPDATE polls SET state = 'open', meeting_id = yishi_int($1->'meeting'), opened_at = $2" \
    " WHERE session_id = $3 AND id = yishi_int($1->'poll')"
#define YS_PG_POLL_VOTE \
    "INSERT INTO poll_votes VALUES ($3, yishi_int($1->'poll'), yishi_int($1->'delegate'), $1->>'choice', $2)" \
    " ON CONFLICT (session_id, poll_id, delegate_id) DO UPDATE SET choice = excluded.choice, time = excluded.time"
#define YS_PG_POLL_CAST \
    "INSERT INTO poll_votes VALUES ($3, yishi_int($1->'poll'), yishi_int($1->'delegate'), NULL, $2)"
#define YS_PG_POLL_TOTALS \
    "UPDATE polls SET yes = yishi_int($1->'yes'), no = yishi_int($1->'no'), abstain = yishi_int($1->'abstain')" \
    " WHERE session_id = $3 AND id = yishi_int($1->'poll')"
#define YS_PG_POLL_CLOSE \
    "UPDATE polls SET state = 'closed', closed_at = $2, entitled = yishi_int($1->'entitled')," \
    " present = yishi_int($1->'present'), yes = yishi_int($1->'yes'), no = yishi_int($1->'no')," \
    " abstain = yishi_int($1->'abstain'), not_voted = yishi_int($1->'not_voted'), passed = yishi_int($1->'passed')" \
    " WHERE session_id = $3 AND id = yishi_int($1->'poll')"
#define YS_PG_POLL_ANNOUNCE \
    "UPDATE polls SET announcement = $1->>'text' WHERE session_id = $3 AND id = yishi_int($1->'poll')"
#define YS_PG_ELECTION_CREATE \
    "INSERT INTO elections (session_id, id, item_id, kind, office, seats, by_election, round_of, state)" \
    " VALUES ($3, yishi_int($1->'id'), nullif(yishi_int($1->'item'), 0), $1->>'kind', $1->>'office'," \
    " yishi_int($1->'seats'), yishi_int($1->'by_election'), nullif(yishi_int($1->'round_of'), 0), 'created')"
#define YS_PG_ELECTION_NOMINATE \
    "INSERT INTO candidates SELECT $3, yishi_int($1->'election'), count(*) + 1, $1->>'name', $1->>'by'" \
    " FROM candidates WHERE session_id = $3 AND election_id = yishi_int($1->'election')"
#define YS_PG_ELECTION_OPEN \
    "UPDATE elections SET state = 'open', meeting_id = yishi_int($1->'meeting'), opened_at = $2," \
    " ballots_issued = yishi_int($1->'issued') WHERE session_id = $3 AND id = yishi_int($1->'election')"
#define YS_PG_ELECTION_CAST \
    "INSERT INTO election_turnout VALUES ($3, yishi_int($1->'election'), yishi_int($1->'delegate'), $2)"
#define YS_PG_ELECTION_RESULT_COLUMNS \
    "ballots_void = yishi_int($1#>'{result,ballots_void}'), valid = yishi_int($1#>'{result,valid}')," \
    " threshold = yishi_int($1#>'{result,threshold}'), result = $1->'result'"
#define YS_PG_ELECTION_RESULTS \
    "INSERT INTO election_results SELECT $3, yishi_int($1->'election'), c->>'name', yishi_int(c->'yes')," \
    " yishi_int(c->'no'), yishi_int(c->'abstain'), coalesce(yishi_int(c->'write_in'), 0)," \
    " coalesce(yishi_int(c->'elected'), yishi_int(c->'formal'), 0)," \
    " (EXISTS (SELECT 1 FROM jsonb_array_elements($1#>'{result,tied}') t WHERE t = c->'name'))::int" \
    " FROM jsonb_array_elements($1#>'{result,candidates}') c"
#define YS_PG_ELECTION_CLOSE \
    "UPDATE elections SET state = 'closed', closed_at = $2, ballots_returned = yishi_int($1->'returned'), " \
    YS_PG_ELECTION_RESULT_COLUMNS " WHERE session_id = $3 AND id = yishi_int($1->'election')", \
    YS_PG_ELECTION_RESULTS
#define YS_PG_ELECTION_COUNT \
    "UPDATE elections SET " YS_PG_ELECTION_RESULT_COLUMNS " WHERE session_id = $3 AND id = yishi_int($1->'election')", \
    YS_PG_ELECTION_RESULTS
#define YS_PG_ELECTION_DECRYPT NO_TABLE
#define YS_PG_POLL_DECRYPT NO_TABLE
#define YS_PG_ELECTION_SHUFFLE NO_TABLE
/* a correction sets what its event sets; a JSON null clears where a field may be empty ($1->'x' IS NULL only
 * when the key is missing) */
#define YS_PG_KEEP_OR_SET(column, key, value) \
    column " = CASE WHEN $1->'set'->'" key "' IS NULL THEN " column " ELSE " value " END"
#define YS_PG_DELEGATE_CORRECT \
    "UPDATE delegates SET name = coalesce($1->'set'->>'name', name)," \
    " gender = coalesce($1->'set'->>'gender', gender), ethnicity = coalesce($1->'set'->>'ethnicity', ethnicity)," \
    " delegation_id = coalesce(yishi_int($1->'set'->'delegation'), delegation_id), " \
    YS_PG_KEEP_OR_SET("post_id", "post", "nullif(yishi_int($1->'set'->'post'), 0)") \
    " WHERE session_id = $3 AND id = yishi_int($1->'delegate')"
#define YS_PG_ITEM_CORRECT \
    "UPDATE agenda SET title = coalesce($1->'set'->>'title', title), kind = coalesce($1->'set'->>'kind', kind), " \
    YS_PG_KEEP_OR_SET("presenter", "presenter", "$1->'set'->>'presenter'") ", " \
    YS_PG_KEEP_OR_SET("document_id", "document", "nullif(yishi_int($1->'set'->'document'), 0)") \
    " WHERE session_id = $3 AND id = yishi_int($1->'item')"
#define YS_PG_ATTENDEE_CORRECT \
    "UPDATE attendees SET name = coalesce($1->'set'->>'name', name), kind = coalesce($1->'set'->>'kind', kind), " \
    YS_PG_KEEP_OR_SET("post_id", "post", "nullif(yishi_int($1->'set'->'post'), 0)") ", " \
    YS_PG_KEEP_OR_SET("affiliation", "affiliation", "$1->'set'->>'affiliation'") \
    " WHERE session_id = $3 AND id = yishi_int($1->'attendee')"
/* a meeting as held, a person taken back, an item numbered in its meeting's order: as YS_PROJ_MEETING_* */
#define YS_PG_MEETING_HELD \
    "UPDATE meetings SET date = $1->>'date', half_day = $1->>'half_day'" \
    " WHERE session_id = $3 AND id = yishi_int($1->'meeting')"
#define YS_PG_MEETING_PERSON \
    "DELETE FROM meeting_people WHERE yishi_int($1->'remove') = 1 AND session_id = $3" \
    " AND meeting_id = yishi_int($1->'meeting') AND role = $1->>'role'" \
    " AND delegate_id IS NOT DISTINCT FROM yishi_int($1->'delegate')" \
    " AND attendee_id IS NOT DISTINCT FROM yishi_int($1->'attendee')", \
    "INSERT INTO meeting_people SELECT $3, yishi_int($1->'meeting'), $1->>'role', yishi_int($1->'delegate')," \
    " yishi_int($1->'attendee'), $1->>'group', $2 WHERE coalesce(yishi_int($1->'remove'), 0) = 0"
#define YS_PG_MEETING_TAKEUP \
    "INSERT INTO meeting_takeups SELECT $3, yishi_int($1->'meeting'), count(*) + 1, yishi_int($1->'item')," \
    " $1->>'action', yishi_int($1->'document'), yishi_int($1->'version'), yishi_int($1->'delegate')," \
    " yishi_int($1->'attendee'), $1->>'presents', $1->>'body', $2 FROM meeting_takeups" \
    " WHERE session_id = $3 AND meeting_id = yishi_int($1->'meeting')"
#define YS_PG_BULLETIN_ISSUE \
    "INSERT INTO bulletins VALUES ($3, yishi_int($1->'number'), yishi_int($1->'meeting'), $2)"
#define YS_PG_MOTION_OF " WHERE session_id = $3 AND id = yishi_int($1->'motion')"
#define YS_PG_MOTION_DRAFT \
    "INSERT INTO motions (session_id, id, kind, proposed_by, lead_id, amends, election_id, title, grounds, plan," \
    " addressee, person, state, drafted_at, submitted_at) VALUES ($3, yishi_int($1->'id'), $1->>'kind', $1->>'by'," \
    " yishi_int($1->'lead'), yishi_int($1->'amends'), yishi_int($1->'election'), $1->>'title', $1->>'grounds'," \
    " $1->>'plan', $1->>'addressee', $1->>'person', CASE $1->>'by' WHEN 'delegates' THEN 'draft' ELSE 'submitted'" \
    " END, $2, CASE $1->>'by' WHEN 'delegates' THEN NULL ELSE $2 END)", \
    "INSERT INTO motion_signatures SELECT $3, yishi_int($1->'id'), 1, yishi_int($1->'lead'), $2" \
    " WHERE yishi_int($1->'lead') IS NOT NULL"
#define YS_PG_MOTION_SIGN \
    "INSERT INTO motion_signatures SELECT $3, yishi_int($1->'motion'), count(*) + 1, yishi_int($1->'delegate'), $2" \
    " FROM motion_signatures WHERE session_id = $3 AND motion_id = yishi_int($1->'motion')"
#define YS_PG_MOTION_SUBMIT "UPDATE motions SET state = 'submitted', submitted_at = $2" YS_PG_MOTION_OF
#define YS_PG_MOTION_DEADLINE \
    "INSERT INTO motion_deadlines VALUES ($3, $1->>'kind', nullif($1->>'until', ''), $2)" \
    " ON CONFLICT (session_id, kind) DO UPDATE SET deadline = excluded.deadline, set_at = excluded.set_at"
#define YS_PG_MOTION_DECIDE \
    "UPDATE motions SET state = 'decided', decision = $1->>'decision', decision_note = $1->>'note'," \
    " decided_at = $2" YS_PG_MOTION_OF
#define YS_PG_MOTION_WITHDRAW \
    "UPDATE motions SET state = 'withdrawn', withdrawn_at = $2, withdrawn_with_consent = yishi_int($1->'consent')" \
    YS_PG_MOTION_OF
#define YS_PG_MOTION_ANSWER \
    "UPDATE motions SET answer = $1->>'text', answered_by = $1->>'by', answered_at = $2, satisfaction = NULL" \
    YS_PG_MOTION_OF
#define YS_PG_MOTION_RATE "UPDATE motions SET satisfaction = $1->>'rating'" YS_PG_MOTION_OF
#define YS_PG_OPINION_ADD \
    "INSERT INTO opinions VALUES ($3, yishi_int($1->'id'), yishi_int($1->'document'), yishi_int($1->'version')," \
    " $1->>'section', $1->>'text', yishi_int($1->'delegation'), yishi_int($1->'delegate'), yishi_int($1->'meeting')," \
    " NULL, $2)"
#define YS_PG_DOCUMENT_EXPLAIN \
    "INSERT INTO document_explanations VALUES ($3, yishi_int($1->'document'), yishi_int($1->'version'), $1->>'text'," \
    " $2)", \
    "INSERT INTO explanation_opinions SELECT $3, yishi_int(t), yishi_int($1->'document'), yishi_int($1->'version')" \
    " FROM jsonb_array_elements($1->'taken_up') t", \
    "UPDATE opinions SET taken_up_in = yishi_int($1->'version') WHERE session_id = $3" \
    " AND id IN (SELECT yishi_int(t) FROM jsonb_array_elements($1->'taken_up') t)"
#define YS_PG_POLL_COUNT \
    "UPDATE polls SET yes = yishi_int($1->'yes'), no = yishi_int($1->'no'), abstain = yishi_int($1->'abstain')," \
    " not_voted = yishi_int($1->'not_voted'), passed = yishi_int($1->'passed')" \
    " WHERE session_id = $3 AND id = yishi_int($1->'poll')"
#define YS_PG_ELECTION_ANNOUNCE \
    "UPDATE elections SET announcement = $1->>'text' WHERE session_id = $3 AND id = yishi_int($1->'election')"
#define YS_PG_HALL_LAYOUT \
    "DELETE FROM hall_seats WHERE session_id = $3", \
    "INSERT INTO hall_seats SELECT $3, x->>1, yishi_int(t->'tier'), t->>'name', b.n, b.v->>'name'," \
    " nullif(yishi_int(b.v->'delegation'), 0), yishi_int(r->'row'), yishi_int(x->0)" \
    " FROM jsonb_array_elements($1->'tiers') t, jsonb_array_elements(t->'blocks') WITH ORDINALITY b(v, n)," \
    " jsonb_array_elements(b.v->'rows') r, jsonb_array_elements(r->'seats') x"
#define YS_PG_DELEGATE_SEAT \
    "UPDATE delegates SET seat = NULL WHERE session_id = $3 AND id = yishi_int($1->'delegate')", \
    "UPDATE delegates SET seat = $1->>'from' WHERE session_id = $3 AND id = yishi_int($1->'swap')", \
    "UPDATE delegates SET seat = $1->>'seat' WHERE session_id = $3 AND id = yishi_int($1->'delegate')"
#define YS_PG_KEY_CREATE \
    "INSERT INTO keys VALUES ($3, yishi_int($1->'id'), yishi_int($1->'threshold')," \
    " jsonb_array_length($1->'trustees'), 'committing', $2, NULL)", \
    "INSERT INTO key_trustees SELECT $3, yishi_int($1->'id'), t.n, t.v, 0, 0, NULL" \
    " FROM jsonb_array_elements_text($1->'trustees') WITH ORDINALITY t(v, n)"
#define YS_PG_KEY_OF_TRUSTEE \
    " WHERE session_id = $3 AND key_id = yishi_int($1->'key') AND trustee = yishi_int($1->'trustee')"
#define YS_PG_KEY_STEP(column, next) \
    "UPDATE key_trustees SET " column " = 1" YS_PG_KEY_OF_TRUSTEE, \
    "UPDATE keys SET state = '" next "' WHERE session_id = $3 AND id = yishi_int($1->'key') AND NOT EXISTS" \
    " (SELECT 1 FROM key_trustees WHERE session_id = $3 AND key_id = yishi_int($1->'key') AND " column " = 0)"
#define YS_PG_KEY_COMMIT YS_PG_KEY_STEP("committed", "sharing")
#define YS_PG_KEY_SHARES YS_PG_KEY_STEP("shared", "publishing")
#define YS_PG_KEY_READY \
    "UPDATE key_trustees SET public_share = $1->>'share'" YS_PG_KEY_OF_TRUSTEE, \
    "UPDATE keys SET state = 'complete', completed_at = $2 WHERE session_id = $3 AND id = yishi_int($1->'key')" \
    " AND NOT EXISTS (SELECT 1 FROM key_trustees WHERE session_id = $3 AND key_id = yishi_int($1->'key')" \
    " AND public_share IS NULL)"
#define YS_PG_KEY_COMPLAINT \
    "UPDATE keys SET state = 'failed' WHERE session_id = $3 AND id = yishi_int($1->'key')"
#define YS_PG_POLL_BALLOT NO_TABLE
#define YS_PG_ELECTION_BALLOT NO_TABLE

#define YS_PG_PROJ_MAX 3 /* statements of one type at most */

static const char *const ys_pg_projections[YS_EV_N][YS_PG_PROJ_MAX] = {
#define YS_EVENT(id, type, apply, view, secret, tables, vote) [YS_EV_##id] = {YS_PG_##id},
#include "yishi/events.def"
#undef YS_EVENT
};

#endif
