#!/bin/sh
# generate.sh — writes the manual pages from man/*.in, filling each placeholder from the built programs'
# own --help, so that a page's NAME and SYNOPSIS are the words the program prints and cannot disagree.
#
#   man/generate.sh [-D NAME=VALUE]… YISHI YISHI_VERIFY OUTDIR PAGE.in…
#
# Placeholders, each alone on its line (the rest of a page is roff, written by hand):
#   @NAME CMD@      yishi\-CMD \- the command's summary, from the command table (yishi CMD --help, its last line)
#   @SYNOPSIS W@    the usage of yishi W --help (W yishi: of yishi --help; W yishi-verify: of that program),
#                   as printed without "usage: ", in no-fill mode
#   @COMMANDS@      the commands of yishi --help but help, each with its summary and its page
# and anywhere @VERSION@, the version yishi --version prints, and @NAME@ for each -D NAME=VALUE (the paths
# of the installation the build was configured for: CONFIG_FILE, RULES_DIR).
set -eu
values=""
while [ "${1:-}" = -D ]; do
    values="$values -e s|@${2%%=*}@|${2#*=}|g"
    shift 2
done
[ $# -ge 4 ] || { echo "usage: $0 [-D NAME=VALUE]... YISHI YISHI_VERIFY OUTDIR PAGE.in..." >&2; exit 2; }
yishi=$1 verify=$2 out=$3
shift 3
mkdir -p "$out"
values="$values -e s|@VERSION@|$("$yishi" --version | sed 's/^yishi //')|g"

# The escapes of text that roff would otherwise read: backslashes, hyphens (\- is the ASCII one, as options
# are typed), quotes as typed, and a dot or apostrophe at the start of a line, which would make it a request.
escape() {
    sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/'/\\\\(aq/g" -e 's/`/\\(ga/g' -e 's/^[.]/\\\&./'
}

# usage W: the usage lines W prints for --help, without "usage: " and the indent that aligns the rest under it.
usage() {
    case $1 in
    yishi) "$yishi" --help | sed -n '1s/^usage: //p' ;;
    yishi-verify) "$verify" --help | sed -n '1s/^usage: //p' ;;
    *) "$yishi" "$1" --help | sed -e '$d' -e '1s/^usage: //' -e '2,$s/^       //' ;;
    esac
}

summary() {
    "$yishi" "$1" --help | sed -n '$p'
}

commands() {
    "$yishi" --help | sed -n '/^commands:$/,$p' | sed -e '1d' -e 's/^  //' | while read -r name text; do
        [ "$name" = help ] && continue
        printf '.TP\n.BR yishi\\-%s (1)\n' "$name"
        printf '%s\n' "$text" | escape
    done
}

for in in "$@"; do
    page=$(basename "$in" .in)
    tmp="$out/$page.tmp"
    while IFS= read -r line; do
        case $line in
        '@NAME '*@)
            cmd=${line#@NAME }; cmd=${cmd%@}
            printf 'yishi\\-%s \\- %s\n' "$cmd" "$(summary "$cmd" | escape)" ;;
        '@SYNOPSIS '*@)
            w=${line#@SYNOPSIS }; w=${w%@}
            printf '.nf\n'
            usage "$w" | escape
            printf '.fi\n' ;;
        @COMMANDS@)
            commands ;;
        *)
            printf '%s\n' "$line" ;;
        esac
    done <"$in" >"$tmp"
    # shellcheck disable=SC2086
    sed $values "$tmp" >"$out/$page"
    rm -f "$tmp"
done
