/* The CSV nvidia-smi prints (--query-gpu=name,memory.total,driver_version). */
#include <stdlib.h>
#include <string.h>

#include "env/platform.h"
#include "fuzz.h"

CBENCH_FUZZ_TARGET(nvidia_smi)
{
	struct cbench_gpu gpus[8];
	size_t n = 0, i;
	char *text = fuzz_cstr(data, size);

	if (cbench_platform__parse_nvidia_smi(gpus, 8, &n, text) == 0) {
		if (n > 8)
			abort();
		for (i = 0; i < n; i++)
			if (!memchr(gpus[i].name, '\0', sizeof(gpus[i].name)))
				abort();
	}
	free(text);
	return 0;
}
