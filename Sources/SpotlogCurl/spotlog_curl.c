#include "spotlog_curl.h"

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The libcurl functions spotlog calls, resolved with dlsym; their types come from curl's header.
static struct {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];

static void load(void) {
    // Debian's libcurl4 (OpenSSL): the same library FoundationNetworking used.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl.so.4 (%s); install libcurl4", dlerror());
        return;
    }
#define RESOLVE(field, name)                                                                          \
    if ((curl.field = (__typeof__(curl.field))dlsym(library, name)) == NULL) {                         \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", name);                       \
        return;                                                                                       \
    }
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_perform, "curl_easy_perform")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
#undef RESOLVE
    // Not thread-safe in libcurl, hence once per process, before any transfer.
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl could not initialise");
    }
}

int spotlog_curl_load(char *error, size_t error_size) {
    pthread_once(&load_once, load);
    if (load_error[0] == '\0') return 0;
    snprintf(error, error_size, "%s", load_error);
    return -1;
}

static size_t append(char *data, size_t size, size_t count, void *target) {
    spotlog_curl_buffer *buffer = target;
    size_t length = size * count;
    char *grown = realloc(buffer->data, buffer->length + length + 1);
    if (grown == NULL) return 0;  // libcurl then fails the transfer (CURLE_WRITE_ERROR)
    memcpy(grown + buffer->length, data, length);
    buffer->data = grown;
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
    return length;
}

spotlog_curl_outcome spotlog_curl_perform(const char *method, const char *url, const char *const *headers,
                                          size_t header_count, const void *body, size_t body_length,
                                          long timeout_seconds, long *status, spotlog_curl_buffer *response_body,
                                          spotlog_curl_buffer *response_headers, char *error, size_t error_size) {
    CURL *handle = curl.easy_init();
    if (handle == NULL) {
        snprintf(error, error_size, "libcurl could not start a transfer");
        return SPOTLOG_CURL_FAILED;
    }
    char curl_error[CURL_ERROR_SIZE] = "";
    struct curl_slist *list = NULL;
    for (size_t index = 0; index < header_count; index++) list = curl.slist_append(list, headers[index]);
    curl.easy_setopt(handle, CURLOPT_URL, url);
    // GET and POST by their own options, so that redirects are followed the way browsers (and
    // URLSession) do; any other method by name.
    if (strcmp(method, "POST") == 0) {
        curl.easy_setopt(handle, CURLOPT_POST, 1L);
    } else if (strcmp(method, "GET") != 0) {
        curl.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method);
    }
    if (body != NULL || strcmp(method, "POST") == 0) {
        curl.easy_setopt(handle, CURLOPT_POSTFIELDS, body != NULL ? body : "");
        curl.easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    }
    curl.easy_setopt(handle, CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    // Only HTTP(S), also after a redirect, and no endless redirect chains (libcurl's own default
    // has no limit).
    curl.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(handle, CURLOPT_MAXREDIRS, 10L);
    curl.easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
    curl.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_seconds * 1000);
    curl.easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl.easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, timeout_seconds);
    curl.easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_seconds * 2000);
    curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, append);
    curl.easy_setopt(handle, CURLOPT_WRITEDATA, response_body);
    curl.easy_setopt(handle, CURLOPT_HEADERFUNCTION, append);
    curl.easy_setopt(handle, CURLOPT_HEADERDATA, response_headers);
    curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, curl_error);
    CURLcode code = curl.easy_perform(handle);
    spotlog_curl_outcome outcome = SPOTLOG_CURL_DONE;
    if (code == CURLE_OK) {
        curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, status);
    } else {
        snprintf(error, error_size, "%s", curl_error[0] != '\0' ? curl_error : curl.easy_strerror(code));
        switch (code) {
        case CURLE_OPERATION_TIMEDOUT: outcome = SPOTLOG_CURL_TIMED_OUT; break;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING: outcome = SPOTLOG_CURL_CONNECT_FAILED; break;
        default: outcome = SPOTLOG_CURL_FAILED; break;
        }
    }
    curl.slist_free_all(list);
    curl.easy_cleanup(handle);
    return outcome;
}

void spotlog_curl_buffer_free(spotlog_curl_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->length = 0;
}
