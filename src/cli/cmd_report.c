/* cmd_report.c — `yishi report`: what the secretariat publishes, printed from the session file. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/report.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int ys_cli_report(int argc, char **argv)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"meeting", required_argument, NULL, 'm'},
                                             {"issue", required_argument, NULL, 'i'}, {NULL, 0, NULL, 0}};
    const char *file = YS_DEFAULT_FILE;
    int meeting = 0, issue = 0, c, code; /* issue 0: the number the meeting's bulletin was issued with */
    ys_err err = {0};
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f')
            file = optarg;
        else if (c == 'm' || c == 'i') {
            long long v;
            if ((code = ys_cli_int("report", c == 'm' ? "--meeting" : "--issue", optarg, 1, c == 'm' ? YS_ID_MAX : YS_REPORT_ISSUE_MAX,
                                   &v)))
                return code;
            *(c == 'm' ? &meeting : &issue) = (int)v;
        } else
            return ys_cli_usage_error("report", "unknown option");
    }
    bool plenary = argc - optind == 1 && strcmp(argv[optind], "plenary") == 0;
    if (argc - optind != 1 || (!plenary && strcmp(argv[optind], "bulletin") != 0))
        return ys_cli_usage_error("report", "which report? (bulletin, plenary)");
    ys_journal *j = ys_cli_open("report", file, YS_STORE_READONLY, &code);
    if (!j)
        return code;
    char *text = plenary ? ys_report_plenary(j->session, meeting, &err)
                         : ys_report_bulletin(j->session, meeting, issue, true, &err);
    if (text)
        fputs(text, stdout);
    else
        code = ys_cli_fail("report", err.rc, &err);
    ys_free(text);
    ys_journal_close(j);
    return code;
}
