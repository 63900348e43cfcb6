/*
 * cbench error reporting: an int return code plus an optional caller-owned
 * buffer with a one-line message (the jansson json_error_t / curl
 * CURLOPT_ERRORBUFFER pattern).
 */
#ifndef CBENCH_ERROR_H
#define CBENCH_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/** Return codes: 0 is success, the rest are negative. */
enum cbench_error_code {
	CBENCH_OK = 0,
	CBENCH_ERROR = -1,     /**< anything not listed below */
	CBENCH_EUSAGE = -2,    /**< bad option, bad value, bad configuration */
	CBENCH_EIO = -3,       /**< reading or writing a file failed */
	CBENCH_ENOMEM = -4,    /**< out of memory */
	CBENCH_EPARSE = -5,    /**< malformed input (JSON, expression, ...) */
	CBENCH_ENOTFOUND = -6  /**< a named thing does not exist */
};

#define CBENCH_ERROR_TEXT_MAX 256

/**
 * Details of a failure. Every function that takes a `struct cbench_error *`
 * accepts NULL; when non-NULL it is filled on failure with the code returned
 * and a one-line message naming the file, key or value at fault.
 */
struct cbench_error {
	int code;
	char text[CBENCH_ERROR_TEXT_MAX];
};

#ifdef __cplusplus
}
#endif

#endif
