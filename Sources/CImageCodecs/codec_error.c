#include "codec_error.h"

#include <stdio.h>

void ic_set_error(ic_error *error, const char *prefix, const char *message) {
    if (error == NULL) return;
    if (message == NULL) message = "unknown error";
    if (prefix != NULL) {
        snprintf(error->message, sizeof error->message, "%s: %s", prefix, message);
    } else {
        snprintf(error->message, sizeof error->message, "%s", message);
    }
}
