/* baselines/baselines.json: loaded, every section listed and read. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate/baseline.h"
#include "fuzz.h"

CBENCH_FUZZ_TARGET(baselines)
{
	struct cbench_baselines *b = NULL;
	struct cbench_error err;
	char path[64];
	int fd;

	fuzz_file(data, size, &fd, path);
	if (cbench_baseline__load(&b, path, &err) == 0) {
		const char *platform;
		json_t *section;
		char *all = cbench_baseline__platforms(b);

		free(all);
		json_object_foreach(b->doc, platform, section) {
			struct cbench_baseline_metric *m = NULL;
			size_t n = 0;

			(void)section;
			if (cbench_baseline__section(&m, &n, b, platform) == 0)
				free(m);
		}
		cbench_baseline__free(b);
	} else if (!memchr(err.text, '\0', sizeof(err.text))) {
		abort();
	}
	close(fd);
	return 0;
}
