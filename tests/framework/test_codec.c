/*
 * model/: the one results codec. A run encoded and decoded again is the
 * same run; the streaming writer (--json) and the whole-tree encoder (the
 * history's newest run) write the same document.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/results.h"
#include "model/run.h"
#include "sample_run.h"

static void same_double(double a, double b, const char *what)
{
	cr_expect((isnan(a) && isnan(b)) || a == b, "%s: %.17g != %.17g", what, a, b);
}

static void same_str(const char *a, const char *b, const char *what)
{
	cr_expect_str_eq(a ? a : "", b ? b : "", "%s", what);
}

static void same_run(const struct cbench_run *a, const struct cbench_run *b, bool samples)
{
	cr_assert_eq(a->nresults, b->nresults);
	same_str(a->run_id, b->run_id, "run_id");
	same_str(a->run_type, b->run_type, "run_type");
	same_str(a->started_at, b->started_at, "started_at");
	same_str(a->mode, b->mode, "mode");
	same_str(a->clock, b->clock, "clock");
	same_double(a->duration, b->duration, "duration");
	cr_expect_eq(a->interrupted, b->interrupted);
	cr_expect_eq(a->selected, b->selected);
	cr_expect_str_eq(a->platform.id, b->platform.id);
	cr_expect_str_eq(a->platform.hostname, b->platform.hostname);
	cr_expect_eq(a->platform.ram_bytes, b->platform.ram_bytes);
	cr_expect_eq(a->git.present, b->git.present);
	cr_expect_str_eq(a->git.commit, b->git.commit);
	cr_expect_eq(a->git.commit_time, b->git.commit_time);
	cr_expect_eq(a->compared, b->compared);
	same_double(a->threshold, b->threshold, "threshold");
	cr_expect_eq(a->regressions, b->regressions);
	cr_expect_eq(a->improvements, b->improvements);
	cr_expect_eq(a->targets_missed, b->targets_missed);
	cr_assert_eq(a->nmissing, b->nmissing);
	for (size_t i = 0; i < a->nmissing; i++) {
		same_str(a->missing[i].name, b->missing[i].name, "missing.name");
		same_double(a->missing[i].baseline, b->missing[i].baseline, "missing.baseline");
	}
	cr_assert_eq(a->nwarnings, b->nwarnings);
	for (size_t i = 0; i < a->nresults; i++) {
		const struct cbench_result *x = &a->results[i], *y = &b->results[i];

		same_str(x->id, y->id, "id");
		same_str(x->suite, y->suite, "suite");
		same_str(x->name, y->name, "name");
		same_str(x->param, y->param, "param");
		same_str(x->message, y->message, "message");
		cr_expect_eq(x->status, y->status, "%s", x->id);
		cr_expect_eq(x->nmarkers, y->nmarkers, "%s", x->id);
		cr_expect_eq(x->line, y->line);
		cr_expect_eq(x->batch, y->batch);
		same_double(x->wall_time, y->wall_time, "wall_time");
		cr_assert_eq(x->nmetrics, y->nmetrics, "%s", x->id);
		for (size_t j = 0; j < x->nmetrics; j++) {
			const struct cbench_metric *m = &x->metrics[j], *n = &y->metrics[j];

			same_str(m->name, n->name, "metric name");
			same_str(m->unit, n->unit, "unit");
			cr_expect_eq(m->direction, n->direction, "%s", m->name);
			cr_expect_eq(m->timing, n->timing, "%s", m->name);
			same_double(m->value, n->value, m->name);
			same_double(m->stats.median, n->stats.median, "median");
			same_double(m->stats.p95, n->stats.p95, "p95");
			cr_expect_eq(m->stats.n, n->stats.n);
			cr_expect_eq(m->cmp.verdict, n->cmp.verdict, "%s", m->name);
			same_double(m->cmp.baseline, n->cmp.baseline, "baseline");
			same_double(m->cmp.change, n->cmp.change, "change");
			cr_expect_eq(m->cmp.nconfirm, n->cmp.nconfirm, "%s", m->name);
			cr_expect_eq(m->target.set, n->target.set, "%s", m->name);
			cr_expect_eq(m->nsamples, samples ? n->nsamples : 0, "%s", m->name);
		}
	}
}

static void round_trip(enum sample_kind kind, bool samples)
{
	const struct cbench_run *run = sample_run(kind);
	struct cbench_error err = { 0, "" };
	struct cbench_results *back;
	json_t *doc = cbench_results__to_json(run, samples);

	cr_assert_not_null(doc);
	cr_assert_eq(cbench_results__from_json(&back, doc, "encoded", &err), 0, "%s", err.text);
	same_run(run, cbench_results__run(back), samples);
	cbench_results__free(back);
}

Test(codec, a_run_encoded_and_decoded_is_the_same_run)
{
	round_trip(SAMPLE_FULL, false);
	round_trip(SAMPLE_FULL, true);
	round_trip(SAMPLE_CLEAN, false);
	round_trip(SAMPLE_NEW, false);
}

/* Invalid UTF-8 is repaired rather than dropped: every key is there. */
Test(codec, hostile_text_still_decodes)
{
	const struct cbench_run *run = sample_run(SAMPLE_HOSTILE);
	struct cbench_error err = { 0, "" };
	struct cbench_results *back;
	json_t *doc = cbench_results__to_json(run, false);

	cr_assert_not_null(doc);
	cr_assert_eq(cbench_results__from_json(&back, doc, "hostile", &err), 0, "%s", err.text);
	cr_assert_eq(cbench_results__run(back)->nresults, run->nresults);
	cbench_results__free(back);
}

Test(codec, the_writer_and_the_tree_write_the_same_document)
{
	const struct cbench_run *run = sample_run(SAMPLE_FULL);
	struct cbench_results_writer *w;
	json_error_t je;
	json_t *tree = cbench_results__to_json(run, true), *streamed;
	char *text;
	size_t len;

	cr_assert_eq(cbench_results__writer_new(&w, true, (size_t)1 << 30), 0);
	cr_assert_eq(cbench_results__writer_begin(w, run), 0);
	for (size_t i = 0; i < run->nresults; i++)
		cr_assert_eq(cbench_results__writer_add(w, &run->results[i]), 0);
	cr_assert_eq(cbench_results__writer_finish(w, run, &text, &len), 0);
	cr_assert_eq(strlen(text), len);
	streamed = json_loads(text, 0, &je);
	cr_assert_not_null(streamed, "%s", je.text);
	cr_assert(json_equal(tree, streamed));
	/* one benchmark per line inside "benchmarks", the rest indented */
	{
		static const char start[] = "{\n  \"schema\": \"cbench-results/1\",\n";

		cr_assert(strncmp(text, start, strlen(start)) == 0, "%s", text);
	}
	cr_assert(strstr(text, "\n  \"benchmarks\": [\n    {\"id\":\"") != NULL);
	cr_assert(len > 8 && strcmp(text + len - 8, "}\n  ]\n}\n") == 0, "%s", text + len - 8);
	free(text);
	json_decref(tree);
	json_decref(streamed);
	cbench_results__writer_free(w);
}

Test(codec, run_vocabulary_both_ways)
{
	char sig[16];

	for (int i = CBENCH_STATUS_PASSED; i <= CBENCH_STATUS_TARGET; i++)
		cr_expect_eq(cbench_run__status_of(cbench_status_name((enum cbench_status)i)), i);
	for (int i = CBENCH_VERDICT_NEW; i <= CBENCH_VERDICT_MISSING; i++)
		cr_expect_eq(cbench_run__verdict_of(cbench_verdict_name((enum cbench_verdict)i)), i);
	cr_expect_eq(cbench_run__status_of("nope"), -1);
	cr_expect_eq(cbench_run__verdict_of(NULL), CBENCH_VERDICT_NEW);
	cr_expect_eq(cbench_run__direction_of(cbench_run__direction_name(CBENCH_HIGHER_IS_BETTER)),
	             CBENCH_HIGHER_IS_BETTER);
	cr_expect_eq(cbench_run__direction_of("lower"), CBENCH_LOWER_IS_BETTER);
	cr_expect(cbench_run__valid_type("ci") && cbench_run__valid_type("nightly") &&
	          cbench_run__valid_type("manual"));
	cr_expect(!cbench_run__valid_type("weekly") && !cbench_run__valid_type("") &&
	          !cbench_run__valid_type(NULL));
	cbench_run__signal_name(sig, 0);
	cr_expect_str_eq(sig, "");
	cbench_run__signal_name(sig, 15);
	cr_expect_str_eq(sig, "SIGTERM");
	cr_expect_eq(cbench_run__signal_of(sig), 15);
}

Test(codec, run_ids)
{
	struct cbench_run run;
	char a[40], b[40];

	cbench_run__new_id(a);
	cbench_run__new_id(b);
	cr_expect_eq(strlen(a), 36);
	cr_expect_eq(a[14], '4');
	cr_expect_str_neq(a, b);
	memset(&run, 0, sizeof(run));
	snprintf(run.started_at, sizeof(run.started_at), "2026-11-24T02:41:45Z");
	snprintf(run.platform.id, sizeof(run.platform.id), "Box");
	run.duration = 1.5;
	cbench_run__id(a, &run);
	cbench_run__id(b, &run);
	cr_expect_str_eq(a, b, "derived ids are stable");
	cr_expect_eq(a[14], '8', "%s", a);
	snprintf(run.run_id, sizeof(run.run_id), "given");
	cbench_run__id(a, &run);
	cr_expect_str_eq(a, "given");
}
