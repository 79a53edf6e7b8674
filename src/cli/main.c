/* main.c — the yishi command: finds the subcommand in the table and runs it.
 * Every subcommand lives in its own cmd_*.c file and takes --help. */
#include "cli/cli.h"
#include "cli/cmd_server.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const ys_cli_command commands[] = {
    {"init", "create a session file under a rule set",
     "init [-f FILE|URL] --rules NAME|PATH [--assembly TEXT] [--term TEXT] [--session TEXT]\n"
     "       [--congress NAME [--organisation NAME]]   (a new session in PostgreSQL: the congress whose staff log\n"
     "       in to it, and the organisation that congress belongs to)", ys_cli_init},
    {"import", "import posts, delegates, attendees, the agenda or the hall's layout from CSV (all rows or none)",
     "import posts|delegates|attendees|agenda|hall FILE.csv [-f FILE]", ys_cli_import},
    {"delegate", "one delegate's record, their seat, or the end of a mandate (代表资格终止)",
     "delegate show CODE [-f FILE]\n       yishi delegate seat CODE SEAT [--swap] [-f FILE]\n"
     "       yishi delegate unseat CODE [-f FILE]\n       yishi delegate end CODE --reason TEXT [-f FILE]",
     ys_cli_delegate},
    {"correct", "correct the record with its reason: a delegate, an agenda item, an attendee (logged with what it replaces)",
     "correct delegate CODE [--name N] [--gender 男|女] [--ethnicity E] [--delegation NAME] [--post TITLE|\"\"]\n"
     "       yishi correct item ID [--title T] [--kind deliberate|examine|hear|vote|elect] [--presenter P|\"\"]"
     " [--document TITLE|\"\"]\n"
     "       yishi correct attendee ID [--name N] [--kind attendee|observer] [--post TITLE|\"\"] [--affiliation A|\"\"]\n"
     "       (each with --reason TEXT [-f FILE])",
     ys_cli_correct},
    {"hall", "the hall's layout: tiers, blocks and seats, who is placed, and what is not", "hall [-f FILE]", ys_cli_hall},
    {"meeting", "open, close or list meetings; move one to an agenda item",
     "meeting open --kind preparatory|plenary|delegation|group --title TEXT [--delegation NAME] [-f FILE]\n"
     "       yishi meeting close [--meeting N] [-f FILE]\n       yishi meeting item ITEM [--meeting N] [-f FILE]\n"
     "       yishi meeting list [-f FILE]\n"
     "       (open takes --date YYYY-MM-DD --half 上午|下午|晚上, the clock's in Beijing by default)\n"
     "       yishi meeting held DATE HALF [--meeting N] [-f FILE]   (the date of a meeting recorded from paper)\n"
     "       yishi meeting preside|lead|join|attend|rostrum PERSON… [--category AFFILIATION] [--group TEXT] "
     "[--remove] [--meeting N] [-f FILE]\n"
     "       yishi meeting takeup ITEM [--action examine] [--presenter PERSON] [--presents report|explain] "
     "[--body TEXT] [--document TITLE] [--version N] [--meeting N] [-f FILE]\n"
     "       yishi meeting bulletin [--meeting N] [-f FILE]   (numbers the meeting's bulletin, 第N期, and prints it)\n"
     "       yishi meeting show [--meeting N] [-f FILE]", ys_cli_meeting},
    {"checkin", "check delegates in at the current (or given) meeting",
     "checkin CODE… | --delegation NAME | --all [--meeting N] [-f FILE]", ys_cli_checkin},
    {"leave", "record delegates as on leave (请假) at the current (or given) meeting",
     "leave CODE… | --delegation NAME [--reason TEXT] [--meeting N] [-f FILE]", ys_cli_leave},
    {"status", "entitled, present, absent, the quorum and whether the meeting is quorate",
     "status [-f FILE] [--json]", ys_cli_status},
    {"speech", "the speakers list of a meeting: request, withdraw, next, start, end (with what was said), list",
     "speech request CODE [--topic TEXT] | withdraw CODE | next | start CODE | list [--meeting N] [-f FILE]\n"
     "       yishi speech end [--summary TEXT | --summary-file F] [--meeting N] [-f FILE]\n"
     "       (request and start take --kind remarks for a leader's remarks after the speeches, 讲话)", ys_cli_speech},
    {"motion", "motions (议案), amendments, inquiries (质询案), recall (罢免案) and suggestions: draft, co-sign, submit, "
               "decide, answer",
     "motion draft --title TEXT (--lead CODE | --by presidium|standing_committee) [--kind motion|amendment|inquiry|"
     "recall|suggestion|nomination]\n"
     "         [--grounds TEXT | --grounds-file F] [--plan TEXT | --plan-file F] [--to BODY] [--person NAME] "
     "[--amends N] [--election N] [-f FILE]\n"
     "       yishi motion sign ID CODE…  |  submit ID  |  withdraw ID [--consent]  |  show ID  |  list [--kind K]\n"
     "       yishi motion deadline KIND \"YYYY-MM-DD HH:MM\"|none   (Beijing time; the presidium's)\n"
     "       yishi motion decide ID agenda|committee|suggestion|oral|written|refer [--note TEXT]\n"
     "       yishi motion answer ID (--text TEXT | --text-file F) [--by BODY]\n"
     "       yishi motion rate ID CODE satisfied|basically|unsatisfied",
     ys_cli_motion},
    {"opinion", "the opinions a deliberation gathers on a document, by section (审议意见); a version's explanation of "
                "changes (修改说明)",
     "opinion add --document TITLE --section TEXT (--text TEXT | --text-file F) [--delegate CODE] "
     "[--delegation NAME] [--meeting N] [-f FILE]\n"
     "       yishi opinion explain --document TITLE --version N (--text TEXT | --text-file F) [--takes ID,ID…] [-f FILE]\n"
     "       yishi opinion list [--document TITLE] [-f FILE]",
     ys_cli_opinion},
    {"poll", "votes on a question (表决): create, open, vote, totals, close, announce, show, list",
     "poll create --title TEXT [--item N] [--majority simple|two_thirds] [--method terminal|show_of_hands|paper]\n"
     "            [--named [--changeable]] [--amends N] [--motion N] [--key N   (verifiable: encrypted to key N)] [-f FILE]\n"
     "       yishi poll open|close|announce|show N [-f FILE]\n"
     "       yishi poll vote N CODE yes|no|abstain|赞成|反对|弃权 [-f FILE]\n"
     "       yishi poll totals N --yes N --no N --abstain N [--correct --reason TEXT] [-f FILE]   (show of hands, paper)\n"
     "       yishi poll list [-f FILE]", ys_cli_poll},
    {"key", "the keys of verifiable ballots (docs/verifiable.md): start a ceremony, or list the keys and how far each is",
     "key create --trustee LOGIN [--trustee LOGIN …] --threshold K [-f FILE]   (accounts of the role trustee)\n"
     "       yishi key list [-f FILE]   (each trustee's steps are made on its own device: the trustee page or yishi trustee)",
     ys_cli_key},
    {"trustee", "a trustee's (监票人's) side, from their own machine: log in, the key ceremony, decrypt after the close",
     "trustee login --server URL --name NAME [--password-file FILE|-] [--cacert PEM] [--login-file FILE]\n"
     "       (the password: --password-file, else $YISHI_TRUSTEE_PASSWORD, else asked for without echo; the login is\n"
     "        kept, mode 0600, in --login-file, $YISHI_TRUSTEE_LOGIN or ~/.yishi-trustee-login.json)\n"
     "       yishi trustee ceremony --key ID --secret FILE [--interval S] [--timeout S]   (run again to resume)\n"
     "       yishi trustee decrypt --election ID | --poll ID --secret FILE\n"
     "       yishi trustee shuffle --election ID   (the write-ins, once the aggregates say names were written in)\n"
     "       yishi trustee status [--key ID]   (the keys naming this login, and the votes waiting for it)\n"
     "       yishi trustee show --secret FILE   (what the file holds: public values only; no server)\n"
     "       (every subcommand but show takes the login file, or --server URL --token TOKEN [--cacert PEM])",
     ys_cli_trustee},
    {"election", "elections (选举): create, nominate, open, vote, close, announce, next round, show, list",
     "election create --office KEY --seats N [--by-election] [--preliminary --office-seats N] [--item N]\n"
     "            [--key N   (verifiable: ballots encrypted to key N, docs/verifiable.md)] [-f FILE]\n"
     "       yishi election nominate N NAME [--cosigners CODE,CODE,…]   (without: the presidium) [-f FILE]\n"
     "       yishi election open|close|announce N [-f FILE]\n"
     "       yishi election show N [--json] [-f FILE]   (the count as text, or as the JSON of docs/count.md)\n"
     "       yishi election vote N CODE [--yes A,B] [--no C] [--write-in D] [-f FILE]   (a secret ballot)\n"
     "       yishi election next N [--runoff] [-f FILE]   (further round, or a new vote among the tied)\n"
     "       yishi election list [-f FILE]", ys_cli_election},
    {"report", "what the secretariat publishes: the bulletin (简报), the plenary report, results, the session summary, roll calls, "
               "opinions gathered (审议意见汇总)",
     "report bulletin [--meeting N] [--issue N] [--format text|html|pdf] [-o FILE] [-f FILE]\n"
     "       yishi report results [--poll N | --election N] [--format text|html|pdf] [-o FILE] [-f FILE]\n"
     "       yishi report plenary [--meeting N] [--format text|html|pdf] [-o FILE] [-f FILE]\n"
     "       yishi report summary [--format text|html|pdf] [-o FILE] [-f FILE]\n"
     "       yishi report rollcall [--poll N]   (named polls only) [--format text|html|pdf] [-o FILE] [-f FILE]\n"
     "       yishi report opinions --document N   (gathered by section) [--format text|html|pdf] [-o FILE] [-f FILE]",
     ys_cli_report},
    {"export", "the session in open formats: Popolo JSON, the lists as CSV, Akoma Ntoso debates",
     "export popolo [-o FILE] [-f FILE]\n"
     "       yishi export csv [--list delegates|delegations|attendees|meetings|attendance|polls|elections] [-o FILE]"
     " [-f FILE]\n"
     "       yishi export csv -o DIR [-f FILE]   (every list, DIR/NAME.csv)\n"
     "       yishi export akn [--meeting N] [-o FILE] [-f FILE]   or   yishi export akn -o DIR [-f FILE]"
     "   (DIR/meeting-N.xml each)",
     ys_cli_export},
    {"doc", "add a version of a document, or list documents", "doc add TITLE FILE [--note TEXT] [-f FILE]\n"
     "       yishi doc list [-f FILE]", ys_cli_doc},
    {"log", "print the session log, or export it whole for yishi-verify",
     "log [-f FILE] [--after SEQ] [--limit N] [--type PREFIX] [--json]   (as GET /api/log: after, limit, type)\n"
     "       yishi log [-f FILE] --export > BOARD.jsonl   (every event as hashed, one JSON object a line: "
     "yishi-verify BOARD.jsonl)", ys_cli_log},
    {"verify", "recompute the hash chain and replay the log; name the first event that does not match",
     "verify [-f FILE] [--json] [--receipt SEQ:HASH]   (a ballot's receipt: is it in the verified log?)\n"
     "       yishi verify --store URL --session ID [--json] [--receipt SEQ:HASH]   (a session in PostgreSQL)",
     ys_cli_verify},
    {"backup", "copy a session file whole and consistent while a server may be serving it, and verify the copy",
     "backup [-f FILE] OUT   (OUT must not exist; the copy has no WAL beside it and verifies as the file does)",
     ys_cli_backup},
    {"export-session", "write a session of a PostgreSQL service to a new session file, and verify the file",
     "export-session --store URL --session ID -f FILE [--with-logins]   (FILE must not exist)",
     ys_cli_export_session},
    {"import-session", "load a session file into a PostgreSQL service as a new session, and verify it there",
     "import-session FILE --store URL [--with-logins]   (FILE must verify; prints the new session's id)",
     ys_cli_import_session},
    {"demo", "create a realistic provincial session (Shanxi, 549 delegates), or a national one, in a new file", "demo [-f FILE] [--hall shanxi|npc]",
     ys_cli_demo},
    {"count", "count a vote or an election from a JSON file", "count FILE|-  (docs/count.md)", ys_cli_count},
    {"serve", "serve the session as an HTTP JSON API with live updates (docs/api.md) and its pages",
     "serve [-f FILE]...   (more than one: each a session of one service, under /s/1/, /s/2/ ...)\n"
     "       [--store URL]   (every session of a PostgreSQL database, each under /s/ID/)\n"
     "       [--listen HOST:PORT] [--tls-cert PEM --tls-key PEM] [--token-ttl S] [--max-body BYTES]\n"
     "       [--threads N] [--check-threads N] [--heartbeat S] [--idle-timeout S] [--request-timeout S]\n"
     "       [--sse-ring EVENTS] [--max-connections N] [--max-per-address N]\n"
     "       [--nchan-publish URL [--nchan-resume-port PORT]]   (the public board through nginx: docs/board-nchan.md)\n"
     "       [--web DIR]   (the pages from that folder, read on each request, instead of the built-in ones)\n"
     "       [--setup]   (FILE does not exist yet: the secretariat creates the session at /desk with the code printed)\n"
     "       [--log-level error|warning|notice|info|debug]   (notice by default; to the journal under systemd)\n"
     "       [--config FILE]   (name = value lines, the options' names without --; default " YS_CONFIG_FILE
     ", if it exists;\n"
     "        the command line wins)   [--check-config]   (say what is wrong with the settings, by line, and stop)",
     ys_cli_serve},
    {"user", "add, list or unlock the server's staff accounts, or set a password",
     "user add --role secretariat|chair|delegation_secretary|trustee --name NAME [--delegation NAME]"
     " --password-file FILE|- [-f FILE]\n"
     "       yishi user passwd --name NAME --password-file FILE|- [-f FILE]\n"
     "       yishi user unlock NAME | --card DELEGATE-CODE [-f FILE]\n       yishi user list [-f FILE]",
     ys_cli_user},
    {"cards", "issue delegates' login cards: a code to print, as text, a QR code or SVG",
     "cards [CODE…] [--delegation NAME] [--reissue] [--qr] [--svg DIR] [-f FILE]\n"
     "       (a delegate who has a card gets another only with --reissue, which logs that the old one was replaced)",
     ys_cli_cards},
    {"help", "show this overview", "help", NULL},
};
static const size_t n_commands = sizeof commands / sizeof commands[0];

static const ys_cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < n_commands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

bool ys_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

void ys_cli_usage(FILE *out, const char *name)
{
    const ys_cli_command *c = find_command(name);
    if (c)
        fprintf(out, "usage: yishi %s\n%s\n", c->usage, c->summary);
}

char *ys_cli_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char chunk[65536];
    ys_buf b;
    ys_buf_init(&b, YS_CLI_FILE_MAX);
    if (!f)
        return NULL;
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && !ys_buf_add(&b, chunk, got))
        ;
    int failed = ferror(f) ? errno : b.rc == YS_TOO_LARGE ? EFBIG : b.rc ? ENOMEM : 0;
    if (f != stdin)
        fclose(f);
    char *text = failed ? NULL : ys_buf_take(&b, len);
    ys_buf_free(&b);
    if (!text)
        errno = failed ? failed : ENOMEM;
    return text;
}

static void print_overview(FILE *out)
{
    fprintf(out, "usage: yishi COMMAND [OPTIONS]   (yishi COMMAND --help for more)\n\n"
                 "yishi (议事) runs the sessions of a people's congress.\n\ncommands:\n");
    for (size_t i = 0; i < n_commands; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    /* Under a file-size limit (ulimit -f) a write past it would kill the command halfway; ignored, the
     * write fails with EFBIG, the store reports it as a full disk and the command exits 3 as it would there. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_overview(stderr);
        return YS_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        print_overview(stdout);
        return YS_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("yishi %s\n", YS_VERSION);
        return YS_EXIT_OK;
    }
    const ys_cli_command *c = find_command(argv[1]);
    if (!c || !c->run) {
        fprintf(stderr, "yishi: unknown command '%s'\n", argv[1]);
        print_overview(stderr);
        return YS_EXIT_USAGE;
    }
    if (ys_cli_wants_help(argc - 1, argv + 1)) {
        ys_cli_usage(stdout, c->name);
        return YS_EXIT_OK;
    }
    return c->run(argc - 1, argv + 1);
}
