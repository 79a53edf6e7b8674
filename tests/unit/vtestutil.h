/* vtestutil.h — what the tests of verifiable votes share: a key ceremony held to the end, with the test as
 * the trustees' devices (their secrets stay in `devices`, as on their own machines). */
#ifndef YS_VTESTUTIL_H
#define YS_VTESTUTIL_H

#include "testutil.h"

#include "yishi/key.h"
#include "yishi/vkey.h"

#define VT_TRUSTEES 3
static const char *const VT_LOGINS[VT_TRUSTEES] = {"zong", "jian1", "jian2"};

typedef struct vt_devices {
    ys_vtrustee *t[VT_TRUSTEES];
} vt_devices;

/* Runs a command on a session and applies its events; fails the test, naming the call, if refused. */
#define VT_OK(s, call)                                                                                                \
    do {                                                                                                              \
        ys_events evs_;                                                                                               \
        ys_err err_ = {0};                                                                                            \
        ys_events_init(&evs_);                                                                                        \
        if (call)                                                                                                     \
            fail_msg("%s: %s", #call, err_.msg);                                                                      \
        assert_int_equal(test_apply(s, &evs_), YS_OK);                                                                \
    } while (0)

/* Key `id` made by three trustees with threshold 2: each commits, shares and publishes from its device. */
static inline void vt_ceremony(ys_session *s, int id, vt_devices *d)
{
    VT_OK(s, ys_cmd_key_create(s, &test_ctx, VT_LOGINS, VT_TRUSTEES, 2, &evs_, &err_));
    for (int i = 0; i < VT_TRUSTEES; i++) {
        assert_int_equal(ys_vtrustee_new(ys_key_get(s, id)->v, (unsigned)i + 1, &d->t[i], NULL), YS_OK);
        json_t *m = ys_vtrustee_commitment(d->t[i]);
        VT_OK(s, ys_cmd_key_commit(s, &test_ctx, id, VT_LOGINS[i], m, &evs_, &err_));
        json_decref(m);
    }
    for (int i = 0; i < VT_TRUSTEES; i++) {
        json_t *m = NULL;
        assert_int_equal(ys_vtrustee_seal_shares(d->t[i], ys_key_get(s, id)->v, &m, NULL), YS_OK);
        VT_OK(s, ys_cmd_key_shares(s, &test_ctx, id, VT_LOGINS[i], m, &evs_, &err_));
        json_decref(m);
    }
    for (int j = 0; j < VT_TRUSTEES; j++) {
        const ys_key *key = ys_key_get(s, id);
        for (int i = 0; i < VT_TRUSTEES; i++)
            if (i != j)
                assert_int_equal(ys_vtrustee_open_share(d->t[j], key->v, (unsigned)i + 1, key->trustees[i].shares, NULL),
                                 YS_OK);
        json_t *m = NULL;
        assert_int_equal(ys_vtrustee_public_share(d->t[j], &m, NULL), YS_OK);
        VT_OK(s, ys_cmd_key_ready(s, &test_ctx, id, VT_LOGINS[j], m, &evs_, &err_));
        json_decref(m);
    }
    assert_int_equal(ys_key_get(s, id)->state, YS_KEY_COMPLETE);
}

static inline void vt_devices_free(vt_devices *d)
{
    for (int i = 0; i < VT_TRUSTEES; i++)
        ys_vtrustee_free(d->t[i]);
}

#endif
