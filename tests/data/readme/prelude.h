/* What the README's examples call but do not define. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct corpus;
static float query[384];
float *make_vectors(size_t n);
int search_topk(const float *vectors, const float *q, int k);
uint32_t *make_keys(size_t n);
int cmp_u32(const void *a, const void *b);
struct corpus *corpus_generate(int seed);
void corpus_free(struct corpus *c);
int embed_all(struct corpus *c);
