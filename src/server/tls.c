/* tls.c — the server's certificate and key. libmicrohttpd asks for them at each handshake, so a pair
 * loaded again on SIGHUP (a renewed certificate: `systemctl reload yishi`) serves the handshakes that
 * follow while the connections already open go on. A pair that is replaced is kept until the server stops:
 * a TLS session begun with it may still refer to it, and renewals are rare enough that this costs little. */
#include "server/tls.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <errno.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* A certificate chain or a key is a few kilobytes; a larger file is not one. */
#define PEM_MAX ((size_t)1 << 20)
/* The server's certificate and the intermediates above it; real chains have two or three. */
#define CHAIN_MAX 16

typedef struct tls_pair {
    gnutls_pcert_st certs[CHAIN_MAX];
    unsigned n_certs;
    gnutls_privkey_t key;
    time_t not_after;
    struct tls_pair *older; /* retired, freed at stop */
} tls_pair;

static _Atomic(tls_pair *) in_use;

static char *read_pem(const char *option, const char *path, ys_err *err)
{
    FILE *f = fopen(path, "rb");
    char chunk[4096];
    ys_buf b;
    ys_buf_init(&b, PEM_MAX);
    if (!f) {
        ys_fail(err, YS_IO, "tls", "%s: cannot read %s: %s", option, path, strerror(errno));
        return NULL;
    }
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && !ys_buf_add(&b, chunk, got))
        ;
    bool failed = ferror(f);
    fclose(f);
    char *text = failed || b.len == 0 ? NULL : ys_buf_take(&b, NULL);
    ys_rc rc = b.rc == YS_NOMEM || (!text && !failed && b.len) ? YS_NOMEM : YS_IO;
    ys_buf_free(&b);
    if (!text)
        ys_fail(err, rc, "tls", "%s: %s is empty, unreadable or over %zu bytes: not a PEM file", option, path,
                PEM_MAX);
    return text;
}

/* GnuTLS says what is wrong with the pair, so that an operator at the hall is told "the key does not match
 * the certificate", not only that the server could not start. */
static ys_rc check_pair(const gnutls_datum_t *cert, const gnutls_datum_t *key, const char *cert_path,
                        const char *key_path, ys_err *err)
{
    gnutls_certificate_credentials_t cred = NULL;
    if (gnutls_certificate_allocate_credentials(&cred) < 0)
        return ys_fail(err, YS_NOMEM, "tls", "out of memory checking the TLS certificate");
    int e = gnutls_certificate_set_x509_key_mem(cred, cert, key, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(cred);
    if (e < 0)
        return ys_fail(err, YS_INVALID, "tls", "--tls-cert %s with --tls-key %s: %s (both must be PEM, the key "
                       "unencrypted and the certificate's own)", cert_path, key_path, gnutls_strerror(e));
    return YS_OK;
}

static void pair_free(tls_pair *p)
{
    while (p) {
        tls_pair *older = p->older;
        for (unsigned i = 0; i < p->n_certs; i++)
            gnutls_pcert_deinit(&p->certs[i]);
        gnutls_privkey_deinit(p->key);
        ys_free(p);
        p = older;
    }
}

static time_t leaf_not_after(const gnutls_pcert_st *leaf)
{
    gnutls_x509_crt_t crt;
    time_t t = 0;
    if (gnutls_x509_crt_init(&crt) < 0)
        return 0;
    if (gnutls_x509_crt_import(crt, &leaf->cert, GNUTLS_X509_FMT_DER) >= 0)
        t = gnutls_x509_crt_get_expiration_time(crt);
    gnutls_x509_crt_deinit(crt);
    return t == (time_t)-1 ? 0 : t;
}

static ys_rc pair_parse(const gnutls_datum_t *cert, const gnutls_datum_t *key, const char *cert_path,
                        tls_pair **out, ys_err *err)
{
    tls_pair *p = ys_calloc(1, sizeof *p);
    int e;
    if (!p || gnutls_privkey_init(&p->key) < 0) {
        ys_free(p);
        return ys_fail(err, YS_NOMEM, "tls", "out of memory loading the TLS certificate");
    }
    p->n_certs = CHAIN_MAX;
    /* A list that fails to import is freed by GnuTLS; a key that fails leaves the list to free here. */
    if ((e = gnutls_pcert_list_import_x509_raw(p->certs, &p->n_certs, cert, GNUTLS_X509_FMT_PEM, 0)) < 0) {
        p->n_certs = 0;
        pair_free(p);
        if (e == GNUTLS_E_SHORT_MEMORY_BUFFER)
            return ys_fail(err, YS_INVALID, "tls", "--tls-cert %s: a chain of more than %d certificates",
                           cert_path, CHAIN_MAX);
        return ys_fail(err, YS_INVALID, "tls", "--tls-cert %s: %s", cert_path, gnutls_strerror(e));
    }
    if ((e = gnutls_privkey_import_x509_raw(p->key, key, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        pair_free(p);
        return ys_fail(err, YS_INVALID, "tls", "--tls-key: %s", gnutls_strerror(e));
    }
    p->not_after = leaf_not_after(&p->certs[0]);
    *out = p;
    return YS_OK;
}

ys_rc ys_tls_load(const char *cert_path, const char *key_path, ys_err *err)
{
    char *cert = NULL, *key = NULL;
    tls_pair *p = NULL;
    ys_rc rc = YS_IO;
    if (!(cert = read_pem("--tls-cert", cert_path, err)) || !(key = read_pem("--tls-key", key_path, err)))
        goto out;
    gnutls_datum_t c = {(unsigned char *)cert, (unsigned)strlen(cert)}, k = {(unsigned char *)key, (unsigned)strlen(key)};
    if ((rc = check_pair(&c, &k, cert_path, key_path, err)) || (rc = pair_parse(&c, &k, cert_path, &p, err)))
        goto out;
    p->older = atomic_exchange(&in_use, p);
out:
    if (key)
        sodium_memzero(key, strlen(key)); /* the private key lives on only in GnuTLS's copy */
    ys_free(cert);
    ys_free(key);
    return rc;
}

int ys_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int n_req_ca_dn,
                    const gnutls_pk_algorithm_t *algos, int n_algos, gnutls_pcert_st **certs, unsigned *n_certs,
                    gnutls_privkey_t *key)
{
    (void)session, (void)req_ca_dn, (void)n_req_ca_dn, (void)algos, (void)n_algos;
    tls_pair *p = atomic_load(&in_use);
    if (!p)
        return -1;
    *certs = p->certs;
    *n_certs = p->n_certs;
    *key = p->key;
    return 0;
}

time_t ys_tls_not_after(void)
{
    tls_pair *p = atomic_load(&in_use);
    return p ? p->not_after : 0;
}

void ys_tls_unload(void)
{
    pair_free(atomic_exchange(&in_use, NULL));
}
