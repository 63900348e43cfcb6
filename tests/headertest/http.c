/* <cbench/http.h> compiled alone, as C99 -pedantic and as C++11. */
#include <cbench/http.h>

int cbench_headertest_http_(void);
int cbench_headertest_http_(void)
{
	struct cbench_http_options o = { "http://127.0.0.1:8080/", "GET", 0, 0, 0, 10, 100,
	                                 0.0, CBENCH_HTTP_NO_WARMUP, 1.0, 0.0 };
	struct cbench_http_summary s;

	s.errors[CBENCH_HTTP_ERR_5XX] = 0;
	return (int)o.concurrency + (int)s.errors[CBENCH_HTTP_ERR_5XX];
}
