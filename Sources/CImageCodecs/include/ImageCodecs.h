#pragma once
/* Placeholder: the PNG and JPEG shims (setjmp error handling) go here. */
int image_codecs_version(void);
