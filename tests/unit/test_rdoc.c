/* test_rdoc.c — the report document model and its renderers: text to the byte, HTML escaped and well-formed (xmllint),
 * PDF that parses, is A4, numbers its pages and gives back its Chinese text (pdftotext), and every failure clean. */
#include "testutil.h"

#include "yishi/rdoc.h"

#include <sys/wait.h>

static ys_rdoc *sample(ys_session *s)
{
    static const char *const header[] = {"会议", "出席", "note"};
    static const char *const row1[] = {"第一次全体会议", "533", "a"};
    static const char *const row2[] = {"晋中代表团全体会议", "50", NULL};
    ys_rdoc *d = ys_rdoc_new(s, "测试 <报告>");
    ys_rdoc_heading(d, 1, "%s", "会议情况");
    ys_rdoc_para(d, "应出席%d人，出席%d人。", 549, 533);
    ys_rdoc_list(d);
    ys_rdoc_item(d, "%s", "通过");
    ys_rdoc_item(d, "%s", "未通过");
    ys_rdoc_table(d, 3, header);
    ys_rdoc_row(d, row1);
    ys_rdoc_row(d, row2);
    return d;
}

static void text_exactly(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_rdoc *d = sample(s);
    ys_err err = {0};
    size_t len;
    char *text = ys_rdoc_text(d, &len, &err), want[2048], footer[512];
    assert_non_null(text);
    ys_rdoc_footer(d, footer, sizeof footer);
    /* the table's columns padded by display width: a CJK character takes two */
    snprintf(want, sizeof want,
             "会议情况\n\n应出席549人，出席533人。\n\n- 通过\n- 未通过\n\n"
             "会议                出席  note\n第一次全体会议      533   a\n晋中代表团全体会议  50    \n\n----\n%s\n",
             footer);
    assert_string_equal(text, want);
    assert_int_equal(len, strlen(want));
    char head[YS_HASH_HEX], seq[64];
    ys_hash_hex(s->head, head);
    snprintf(seq, sizeof seq, "截至第%lld条事件", (long long)s->seq);
    assert_non_null(strstr(footer, head));
    assert_non_null(strstr(footer, seq));
    ys_free(text);
    ys_rdoc_free(d);
    ys_session_free(s);
}

static int run(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *write_tmp(const char *bytes, size_t len)
{
    char *path = test_tmpfile();
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path;
}

static void html_escaped_and_well_formed(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_rdoc *d = sample(s);
    ys_err err = {0};
    ys_rdoc_para(d, "%s", "<script>alert(\"x\")</script> & 'y'");
    size_t len;
    char *html = ys_rdoc_html(d, &len, &err), cmd[600];
    assert_non_null(html);
    assert_null(strstr(html, "<script>"));
    assert_non_null(strstr(html, "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>"));
    assert_non_null(strstr(html, "<title>测试 &lt;报告&gt;</title>"));
    assert_non_null(strstr(html, "@page{size:A4"));
    assert_non_null(strstr(html, "<th>会议</th><th>出席</th><th>note</th></tr></thead>"));
    assert_null(strstr(html, "src="));  /* self-contained: nothing loaded from elsewhere */
    assert_null(strstr(html, "href="));
    char *path = write_tmp(html, len);
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    assert_int_equal(run(cmd), 0);
    test_rmfile(path);
    ys_free(path);
    ys_free(html);
    ys_rdoc_free(d);
    ys_session_free(s);
}

static size_t count_of(const char *hay, size_t n, const char *needle)
{
    size_t k = 0, m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        k += memcmp(hay + i, needle, m) == 0;
    return k;
}

/* Long enough for three pages: each page numbered, the Chinese text back out of the PDF as it went in. */
static void pdf_parses_and_reads_back(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_rdoc *d = sample(s);
    ys_err err = {0};
    for (int i = 0; i < 120; i++)
        ys_rdoc_para(d, "第%d段：审议中，常书铭、刘星、刘玉东等代表先后发言，一致表示赞同政府工作报告。", i + 1);
    size_t len;
    char *pdf = ys_rdoc_pdf(d, &len, &err), cmd[700];
    assert_non_null(pdf);
    assert_memory_equal(pdf, "%PDF-1.", 7);
    assert_non_null(strstr(pdf + len - 8, "%%EOF"));
    size_t pages = count_of(pdf, len, "/Type /Page") - count_of(pdf, len, "/Type /Pages");
    assert_true(pages >= 3);
    assert_true(count_of(pdf, len, "/MediaBox [ 0 0 595.276 841.89 ]") >= 1);
    char *path = write_tmp(pdf, len), *txt = test_tmpfile();
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' '%s'", path, txt);
    assert_int_equal(run(cmd), 0);
    size_t tlen;
    FILE *f = fopen(txt, "rb");
    assert_non_null(f);
    static char back[1 << 20];
    tlen = fread(back, 1, sizeof back - 1, f);
    back[tlen] = '\0';
    fclose(f);
    assert_non_null(strstr(back, "会议情况"));
    assert_non_null(strstr(back, "第120段"));
    assert_non_null(strstr(back, "常书铭"));
    assert_non_null(strstr(back, "第 3 页"));
    test_rmfile(path);
    test_rmfile(txt);
    ys_free(path);
    ys_free(txt);
    ys_free(pdf);
    ys_rdoc_free(d);
    ys_session_free(s);
}

/* The bulletin's text as paragraphs: its heading lines become headings, each later paragraph one. */
static void from_text(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_rdoc *d = ys_rdoc_from_text(s, "简报", "某会议\n简  报\n（第3期）\n\n标题\n\n第一段。\n\n第二段。\n");
    assert_non_null(d);
    assert_int_equal(d->n_blocks, 6);
    assert_int_equal(d->blocks[0].kind, YS_RB_HEADING);
    assert_int_equal(d->blocks[0].level, 1);
    assert_int_equal(d->blocks[2].level, 2);
    assert_string_equal(d->blocks[2].cells[0], "（第3期）");
    assert_int_equal(d->blocks[5].kind, YS_RB_PARA);
    assert_string_equal(d->blocks[5].cells[0], "第二段。");
    ys_rdoc_free(d);
    ys_session_free(s);
}

/* A document whose making failed is refused by every renderer with that failure; an allocation that fails
 * anywhere leaves no half rendering. */
static void failures_stick(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_rdoc *d = ys_rdoc_new(s, "x");
    ys_err err = {0};
    ys_rdoc_item(d, "%s", "no list begun"); /* a caller's slip */
    assert_int_equal(d->rc, YS_INVALID);
    assert_null(ys_rdoc_text(d, NULL, &err));
    assert_int_equal(err.rc, YS_INVALID);
    assert_null(ys_rdoc_pdf(d, NULL, &err));
    ys_rdoc_free(d);
    for (long n = 1;; n++) {
        ys_alloc_fail_after(n);
        d = sample(s);
        char *text = d ? ys_rdoc_text(d, NULL, &err) : NULL;
        char *html = d ? ys_rdoc_html(d, NULL, &err) : NULL;
        ys_alloc_fail_after(0);
        bool done = text && html;
        if (d && !done)
            assert_int_equal(d->rc ? d->rc : err.rc, YS_NOMEM);
        ys_free(text);
        ys_free(html);
        ys_rdoc_free(d);
        if (done)
            break;
    }
    ys_session_free(s);
}

static void formats(void **state)
{
    (void)state;
    assert_int_equal(ys_rformat_parse("pdf"), YS_RFORMAT_PDF);
    assert_int_equal(ys_rformat_parse("html"), YS_RFORMAT_HTML);
    assert_int_equal(ys_rformat_parse("text"), YS_RFORMAT_TEXT);
    assert_int_equal(ys_rformat_parse("docx"), 0);
    assert_int_equal(ys_rformat_parse(NULL), 0);
    assert_string_equal(ys_rformat_mime(YS_RFORMAT_PDF), "application/pdf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_exactly),   cmocka_unit_test(html_escaped_and_well_formed),
        cmocka_unit_test(pdf_parses_and_reads_back), cmocka_unit_test(from_text),
        cmocka_unit_test(failures_stick), cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
