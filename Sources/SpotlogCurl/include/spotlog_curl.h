// libcurl, loaded with dlopen on first use, so that commands that never touch the network
// (history, import, admin, help, ...) start without loading it: libcurl pulls in some thirty
// shared libraries (TLS, Kerberos, LDAP, HTTP/2) whose initialisers cost milliseconds at every
// start. Only the few calls spotlog's HTTP transport needs are wrapped here; curl's own headers
// stay private to the implementation, so nothing links against libcurl.
#ifndef SPOTLOG_CURL_H
#define SPOTLOG_CURL_H

#include <stddef.h>

/// Bytes received, owned by the caller once returned (free with `spotlog_curl_buffer_free`).
typedef struct {
    char *data;
    size_t length;
} spotlog_curl_buffer;

/// How a transfer ended.
typedef enum {
    SPOTLOG_CURL_DONE = 0,
    SPOTLOG_CURL_TIMED_OUT = 1,
    SPOTLOG_CURL_CONNECT_FAILED = 2,
    SPOTLOG_CURL_FAILED = 3,
} spotlog_curl_outcome;

/// Loads libcurl once per process; 0 when it is usable, else -1 with a message in `error`.
int spotlog_curl_load(char *error, size_t error_size);

/// Performs one HTTP request (`spotlog_curl_load` first). `headers` are "Name: value" lines;
/// `body` may be NULL (no body; an empty one for POST).
/// `timeout_seconds` bounds connecting and each stall of the transfer; the whole transfer may
/// take twice as long. Redirects are followed and compressed bodies decoded. On
/// `SPOTLOG_CURL_DONE`, `*status` holds the HTTP status and the buffers the body and the header
/// lines of the last response; otherwise `error` says what went wrong.
spotlog_curl_outcome spotlog_curl_perform(const char *method, const char *url, const char *const *headers,
                                          size_t header_count, const void *body, size_t body_length,
                                          long timeout_seconds, long *status, spotlog_curl_buffer *response_body,
                                          spotlog_curl_buffer *response_headers, char *error, size_t error_size);

void spotlog_curl_buffer_free(spotlog_curl_buffer *buffer);

#endif
