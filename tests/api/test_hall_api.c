/* test_hall_api.c — the hall over HTTP: GET /api/hall as the seat map reads it (the demo's 600 seats, then the
 * national demo's three tiers at the size of the NPC), moving delegates through POST /api/delegates/{id}/seat,
 * and a new layout through POST /api/import/hall. */
#include "apitest.h"

static api_server srv;

static int group_setup(void **state)
{
    (void)state;
    return api_demo_up(&srv);
}

static int group_teardown(void **state)
{
    (void)state;
    return api_demo_down(&srv);
}

/* The seat {number, code, delegate} with this code in a hall answer, or NULL. */
static const json_t *find_seat(const json_t *hall, const char *code)
{
    size_t t, b, r, k;
    const json_t *tier, *block, *row, *seat;
    json_array_foreach(json_object_get(hall, "tiers"), t, tier)
        json_array_foreach(json_object_get(tier, "blocks"), b, block)
            json_array_foreach(json_object_get(block, "rows"), r, row)
                json_array_foreach(json_object_get(row, "seats"), k, seat)
                    if (strcmp(json_string_value(json_object_get(seat, "code")), code) == 0)
                        return seat;
    return NULL;
}

static json_int_t holder(const char *code)
{
    api_resp r = api_call(&srv, "GET", "/api/hall", NULL, NULL);
    api_expect(r, 200, NULL);
    const json_t *seat = find_seat(r.json, code);
    assert_non_null(seat);
    json_int_t id = json_is_null(json_object_get(seat, "delegate")) ? 0 : json_integer_value(json_object_get(seat, "delegate"));
    api_free(&r);
    return id;
}

static void demo_hall(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/hall", NULL, NULL); /* anyone: the board has no login */
    api_expect(r, 200, NULL);
    assert_int_equal(api_int(&r, "layout"), 1);
    assert_int_equal(api_int(&r, "seats"), 600);
    assert_int_equal(api_int(&r, "placed"), 549);
    json_t *tier = json_array_get(json_object_get(r.json, "tiers"), 0);
    assert_string_equal(json_string_value(json_object_get(tier, "name")), "一层");
    json_t *left = json_array_get(json_object_get(tier, "blocks"), 0);
    assert_string_equal(json_string_value(json_object_get(left, "name")), "左区");
    assert_int_equal(json_integer_value(json_object_get(left, "seats")), 200);
    assert_int_equal(json_integer_value(json_object_get(left, "delegation")), 1);
    assert_string_equal(json_string_value(json_object_get(left, "delegation_name")), "太原");
    assert_true(json_is_false(json_object_get(left, "reserved")));
    json_t *unplaced = json_object_get(r.json, "unplaced");
    assert_int_equal(json_array_size(json_object_get(unplaced, "seats")), 51);
    assert_int_equal(json_array_size(json_object_get(unplaced, "delegates")), 0);
    assert_int_equal(json_integer_value(json_object_get(find_seat(r.json, "1-1"), "delegate")), 1);
    assert_int_equal(json_integer_value(json_object_get(find_seat(r.json, "1-1"), "number")), 1);
    assert_true(json_is_null(json_object_get(find_seat(r.json, "20-30"), "delegate")));
    api_free(&r);
}

static void moves(void **state)
{
    (void)state;
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    api_resp r = api_call(&srv, "POST", "/api/delegates/1/seat", sec, "{\"seat\":\"01-02\"}");
    api_expect(r, 409, "conflict");
    assert_non_null(strstr(api_str(&r, "message"), "seat 1-2 is taken by"));
    api_free(&r);
    api_post_expect(&srv, "/api/delegates/1/seat", sec, "{\"seat\":\"21-1\"}", 404, "not_found");
    api_post_expect(&srv, "/api/delegates/1/seat", sec, "{\"seat\":5}", 422, "bad_field");
    api_post_expect(&srv, "/api/delegates/1/seat", sec, "{}", 422, "bad_field");
    api_post_expect(&srv, "/api/delegates/1/seat", chair, "{\"seat\":\"20-30\"}", 403, "forbidden");
    api_post_expect(&srv, "/api/delegates/9999/seat", sec, "{\"seat\":\"20-30\"}", 404, "not_found");
    r = api_call(&srv, "POST", "/api/delegates/1/seat", sec, "{\"seat\":\"20-30\"}");
    api_expect(r, 200, NULL);
    json_t *ev = json_array_get(json_object_get(r.json, "events"), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "type")), "delegate.seat");
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "payload"), "from")), "1-1");
    api_free(&r);
    assert_int_equal(holder("20-30"), 1);
    assert_int_equal(holder("1-1"), 0);
    api_post_expect(&srv, "/api/delegates/2/seat", sec, "{\"seat\":\"20-30\",\"swap\":true}", 200, NULL);
    assert_int_equal(holder("20-30"), 2);
    assert_int_equal(holder("1-2"), 1);
    api_post_expect(&srv, "/api/delegates/1/seat", sec, "{\"seat\":null}", 200, NULL);
    r = api_call(&srv, "GET", "/api/hall", NULL, NULL);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(json_object_get(r.json, "unplaced"), "unseated"), 0)), 1);
    api_free(&r);
    ys_free(sec);
    ys_free(chair);
}

static void import_replaces(void **state)
{
    (void)state;
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    api_resp r = api_call(&srv, "POST", "/api/import/hall", sec,
                          "{\"csv\":\"seat,tier,block,row,number\\n1-2,1,中区,1,1\\n1-2,1,中区,1,2\\n\"}");
    api_expect(r, 400, "invalid");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(r.json, "errors"), 0), "line")), 3);
    api_free(&r);
    r = api_call(&srv, "POST", "/api/import/hall", sec, "{\"csv\":\"seat,tier,block,row,number\\n1-2,1,中区,1,1\\n\"}");
    api_expect(r, 201, NULL);
    json_t *ev = json_array_get(json_object_get(r.json, "events"), 0);
    assert_true(json_is_true(json_object_get(json_object_get(ev, "payload"), "replaces")));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/hall", NULL, NULL);
    assert_int_equal(api_int(&r, "layout"), 2);
    assert_int_equal(api_int(&r, "seats"), 1);
    assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "unplaced"), "delegates")), 548);
    api_free(&r);
    ys_free(sec);
}

/* The national demo: one answer for the whole hall, well under 400 KB, read from memory. */
static void national_hall(void **state)
{
    (void)state;
    api_server npc = {0};
    char cmd[1024];
    snprintf(npc.dir, sizeof npc.dir, "/tmp/yishi-api-XXXXXX");
    assert_non_null(mkdtemp(npc.dir));
    snprintf(npc.file, sizeof npc.file, "%s/npc.db", npc.dir);
    snprintf(cmd, sizeof cmd, "'%s' demo --hall npc -f '%s' >/dev/null", api_yishi, npc.file);
    assert_int_equal(system(cmd), 0);
    api_start(&npc, NULL);
    double t0 = api_now();
    api_resp r = api_call(&npc, "GET", "/api/hall", NULL, NULL);
    double took = api_now() - t0;
    api_expect(r, 200, NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "tiers")), 3);
    assert_int_equal(api_int(&r, "placed"), 2977);
    assert_true(strlen(r.body) < 400 * 1024);
    print_message("GET /api/hall of %lld seats: %zu bytes in %.1f ms\n", api_int(&r, "seats"), strlen(r.body), took * 1000);
    api_free(&r);
    api_stop(&npc, SIGTERM);
    api_cleanup(&npc);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_hall),
        cmocka_unit_test(moves),
        cmocka_unit_test(import_replaces),
        cmocka_unit_test(national_hall),
    };
    return api_run_tests(argc, argv, tests, group_setup, group_teardown);
}
