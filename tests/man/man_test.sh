#!/bin/sh
# man_test.sh — the manual pages against the programs: every command of yishi --help has a page, each option
# its --help names is explained in the page's OPTIONS, its SYNOPSIS as rendered is the --help's usage, and every
# page renders without a warning and has a NAME that lexgrog (and so lintian and apropos) can read.
# usage: man_test.sh PATH/TO/yishi PATH/TO/yishi-verify MANDIR
set -u
yishi=$1 verify=$2 man=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export LC_ALL=C.UTF-8 MANROFFSEQ=''
failures=0

for tool in groff man lexgrog; do
    command -v "$tool" >/dev/null || { echo "FAIL: no $tool (groff-base, man-db: scripts/install-deps)"; exit 1; }
done

fail() { failures=$((failures + 1)); echo "FAIL: $*"; }

# help W: what W prints for --help (W yishi: the overview; W yishi-verify: that program; else yishi W --help).
help() {
    case $1 in
    yishi) "$yishi" --help ;;
    yishi-verify) "$verify" --help ;;
    *) "$yishi" "$1" --help ;;
    esac
}

# named W: how W's --help is called, for messages.
named() {
    case $1 in
    yishi | yishi-verify) echo "$1 --help" ;;
    *) echo "yishi $1 --help" ;;
    esac
}

# usage W: the usage lines of W's --help as the page's SYNOPSIS shows them: without "usage: " and its indent.
usage() {
    case $1 in
    yishi | yishi-verify) help "$1" | sed -n '1s/^usage: //p' ;;
    *) help "$1" | sed -e '$d' -e '1s/^usage: //' -e '2,$s/^       //' ;;
    esac
}

# section PAGE NAME: the roff source of section NAME, with \- as typed and no font changes.
section() {
    sed -n "/^\\.SH \"*$2\"*\$/,/^\\.SH/p" "$1" | sed -e '1d' -e '/^\.SH/d' \
        -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(CW//g'
}

# rendered PAGE: the page as man shows it, without bold or underlining, on lines long enough for any usage.
rendered() {
    groff -k -man -Tutf8 -P-cbou -rLL=250n "$1" 2>/dev/null
}

# The pages and whose --help each answers to: every command but help, and yishi-verify's two synopses.
pages="yishi.1:yishi"
for c in $("$yishi" --help | sed -n '/^commands:$/,$p' | sed '1d' | awk '{print $1}'); do
    case $c in
    help) ;;
    verify) pages="$pages yishi-verify.1:verify,yishi-verify" ;;
    *) pages="$pages yishi-$c.1:$c" ;;
    esac
done
[ "$(echo "$pages" | wc -w)" -gt 20 ] || fail "yishi --help lists too few commands: $pages"

for entry in $pages; do
    page=${entry%%:*}
    whose=$(echo "${entry#*:}" | tr , ' ')
    file=$man/$page
    [ -f "$file" ] || { fail "$page: no such page, and yishi --help lists the command"; continue; }
    : >"$dir/usage"
    for w in $whose; do usage "$w" >>"$dir/usage"; done
    # The synopsis as a reader sees it: from the heading to the next, without man's indent.
    rendered "$file" | sed -n '/^SYNOPSIS$/,/^[A-Z]/p' | sed -e '1d' -e '$d' -e 's/^       //' \
        -e '/^$/d' >"$dir/synopsis"
    cmp -s "$dir/usage" "$dir/synopsis" || {
        fail "$page: SYNOPSIS is not the usage of $(for w in $whose; do named "$w"; done | paste -sd, -)"
        diff "$dir/usage" "$dir/synopsis" | sed 's/^/  | /'
    }
    section "$file" OPTIONS >"$dir/options"
    for w in $whose; do
        for opt in $(usage "$w" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
            grep -q -- "$opt\\([^a-z0-9-]\\|\$\\)" "$dir/options" ||
                fail "$page: OPTIONS does not explain $opt (in $(named "$w"))"
        done
    done
done

for file in "$man"/*.[15]; do
    page=$(basename "$file")
    warnings=$(groff -k -ww -z -man -Tutf8 "$file" 2>&1)
    [ -z "$warnings" ] || { fail "$page: groff warns"; echo "$warnings" | sed 's/^/  | /'; }
    warnings=$(man --warnings -l "$file" 2>&1 >/dev/null)
    [ -z "$warnings" ] || { fail "$page: man warns"; echo "$warnings" | sed 's/^/  | /'; }
    lexgrog "$file" >/dev/null 2>&1 || fail "$page: lexgrog cannot read its NAME section"
    grep -q '^\.TH ' "$file" || fail "$page: no .TH line"
done

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "man: every page checked"
