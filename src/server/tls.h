/* tls.h — the server's certificate and key: loaded at start, loaded again on SIGHUP while connections go
 * on, and handed to libmicrohttpd at each handshake. */
#ifndef YISHI_SERVER_TLS_H
#define YISHI_SERVER_TLS_H

#include "yishi/error.h"

#include <gnutls/abstract.h>
#include <stdbool.h>
#include <time.h>

/* Reads both PEM files, checks that the key is the certificate's, and makes them the pair the next
 * handshakes use. On failure (a clear error naming the file and what is wrong with it) the pair loaded
 * before, if any, stays in use. */
ys_rc ys_tls_load(const char *cert_path, const char *key_path, ys_err *err);

/* The pair in use for a handshake: libmicrohttpd's MHD_OPTION_HTTPS_CERT_CALLBACK. */
int ys_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int n_req_ca_dn,
                    const gnutls_pk_algorithm_t *algos, int n_algos, gnutls_pcert_st **certs, unsigned *n_certs,
                    gnutls_privkey_t *key);

/* When the certificate in use stops being valid (its notAfter); 0 when no pair is loaded. */
time_t ys_tls_not_after(void);

/* Frees every pair loaded, once no connection is left (after HTTP has stopped). */
void ys_tls_unload(void);

#endif
