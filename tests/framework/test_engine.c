/*
 * The round engine driven by a fake clock: every call of the measured code
 * advances it by a known cost, so calibration, warm-up, pauses and the
 * samples can be checked exactly.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "cbench.h"
#include "measure/engine.h"

static uint64_t fake_ns;      /* the fake clock */
static uint64_t call_cost;    /* ns each measured call costs */
static uint64_t read_cost;    /* ns each clock read costs */
static uint64_t pause_cost;   /* ns spent while paused, per call */
static unsigned calls, setups, teardowns;

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	fake_ns += read_cost;
	return fake_ns;
}

static const struct cbench_clock fake_clock = { "fake", fake_now, NULL, 1e-9 };

static void reset(uint64_t cost)
{
	fake_ns = 1000;
	call_cost = cost;
	read_cost = 0;
	pause_cost = 0;
	calls = setups = teardowns = 0;
}

static struct cbench_engine_config config(unsigned rounds, unsigned warmup,
                                          uint64_t batch, double min_time)
{
	struct cbench_engine_config c;

	memset(&c, 0, sizeof(c));
	c.clock = &fake_clock;
	c.rounds = rounds;
	c.warmup = warmup;
	c.batch = batch;
	c.min_time = min_time;
	c.max_time = 1.0;
	c.min_rounds = 3;
	return c;
}

static void work(void)
{
	calls++;
	fake_ns += call_cost;
}

static void run_work(void)
{
	CBENCH_MEASURE work();
}

static void run_with_pause(void)
{
	CBENCH_MEASURE {
		cbench_pause();
		fake_ns += pause_cost;
		cbench_resume();
		work();
	}
}

static struct cbench_engine_job job_of(void (*run)(void))
{
	struct cbench_engine_job j;

	memset(&j, 0, sizeof(j));
	j.run = run;
	return j;
}

Test(engine, calibrates_batch_to_the_target_round_time)
{
	struct cbench_engine_config c = config(100, 10, 0, 0.1);
	struct cbench_engine_job j = job_of(run_work);
	struct cbench_outcome o;

	reset(1000); /* 1 us per call; target round = 0.1 s / 100 = 1 ms */
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_PASSED);
	/* priming round at 1, then 1 → 10 → 100 (x10 while under a tenth of
	 * the target), then two rounds at 100 whose faster one (100 us)
	 * extrapolates to 1 ms x 1.05: 1050. */
	cr_assert_eq(o.batch, 1050);
	cr_assert_eq(o.calibration_rounds, 5);
	cr_assert_eq(o.warmup, 10);
	cr_assert_eq(o.nsamples, 100);
	for (size_t i = 0; i < o.nsamples; i++)
		cr_assert_float_eq(o.samples[i], 1e-6, 1e-15);
	/* calibration 1+1+10+100+100, warm-up and rounds at 1050 */
	cr_assert_eq(calls, 1 + 1 + 10 + 100 + 100 + 110 * 1050);
	cbench_outcome__clear(&o);
}

static unsigned slow_round; /* the calibration round made slow on purpose */

static void run_interrupted(void)
{
	unsigned round = 0;

	CBENCH_MEASURE {
		work();
		if (cbench_n_ == 1 && ++round == slow_round)
			fake_ns += 500000; /* an interrupt: 0.5 ms */
	}
}

Test(engine, one_interrupted_calibration_round_does_not_shrink_the_batch)
{
	struct cbench_engine_config c = config(100, 10, 0, 0.1);
	struct cbench_engine_job j = job_of(run_interrupted);
	struct cbench_outcome o;

	/* the 4th round is the first of the two at batch 100 */
	reset(1000);
	slow_round = 4;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.batch, 1050);
	cbench_outcome__clear(&o);
	/* and the second of them */
	reset(1000);
	slow_round = 5;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.batch, 1050);
	cbench_outcome__clear(&o);
}

Test(engine, clock_overhead_is_inside_the_round_but_divided_by_batch)
{
	struct cbench_engine_config c = config(20, 1, 1000, 0);
	struct cbench_engine_job j = job_of(run_work);
	struct cbench_outcome o;

	reset(50);
	read_cost = 20; /* the end-of-round read lands inside the interval */
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.calibration_rounds, 0);
	cr_assert_eq(o.batch, 1000);
	cr_assert_eq(o.nsamples, 20);
	cr_assert_float_eq(o.samples[0], (50.0 * 1000 + 20) / 1000 * 1e-9, 1e-18);
	cbench_outcome__clear(&o);
}

Test(engine, pauses_are_not_timed)
{
	struct cbench_engine_config c = config(10, 0, 4, 0);
	struct cbench_engine_job j = job_of(run_with_pause);
	struct cbench_outcome o;

	reset(300);
	pause_cost = 1000000;
	c.warmup = 0;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.nsamples, 10);
	for (size_t i = 0; i < o.nsamples; i++)
		cr_assert_float_eq(o.samples[i], 300e-9, 1e-18);
	/* but the real time, pauses included, is accounted */
	cr_assert_gt(o.measure_seconds, 10 * 4 * 1e-3);
	cbench_outcome__clear(&o);
}

Test(engine, calibration_bounds_real_time_of_pausing_bodies)
{
	struct cbench_engine_config c = config(10, 1, 0, 0.01);
	struct cbench_engine_job j = job_of(run_with_pause);
	struct cbench_outcome o;

	/* 1 ns measured, 1 ms paused per call: the target is 1 ms per round,
	 * so the batch must stop growing once a round's real time passes 10 ms. */
	reset(1);
	pause_cost = 1000000;
	cbench_engine__run(&o, &c, &j);
	cr_assert_leq(o.batch, 10);
	cr_assert_eq(o.nsamples, 10);
	cbench_outcome__clear(&o);
}

Test(engine, default_rounds_are_cut_to_the_time_budget)
{
	struct cbench_engine_config c = config(100, 1, 1, 0);
	struct cbench_engine_job j = job_of(run_work);
	struct cbench_outcome o;

	reset(100000000); /* 100 ms per call */
	c.rounds_default = true;
	c.min_rounds = 5;
	c.max_time = 1.0;
	cbench_engine__run(&o, &c, &j);
	/* 1 s budget: stops at the 10th round, the first past it */
	cr_assert_eq(o.nsamples, 10);
	cbench_outcome__clear(&o);

	/* never below min_rounds */
	reset(400000000);
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.nsamples, 5);
	cbench_outcome__clear(&o);

	/* an explicit round count is kept whatever it costs */
	reset(100000000);
	c.rounds_default = false;
	c.rounds = 30;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.nsamples, 30);
	cbench_outcome__clear(&o);
}

Test(engine, explicit_batch_and_min_time_add_rounds)
{
	struct cbench_engine_config c = config(10, 0, 1, 0.001);
	struct cbench_engine_job j = job_of(run_work);
	struct cbench_outcome o;

	reset(10000); /* 10 us per round: 0.001 s needs 100 rounds */
	c.min_time_given = true;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.nsamples, 100);
	cbench_outcome__clear(&o);

	c.min_time_given = false; /* the default min_time does not */
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.nsamples, 10);
	cbench_outcome__clear(&o);
}

Test(engine, no_warmup_when_none)
{
	struct cbench_engine_config c = config(7, 0, 3, 0);
	struct cbench_engine_job j = job_of(run_work);
	struct cbench_outcome o;

	reset(10);
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.warmup, 0);
	cr_assert_eq(calls, 21);
	cbench_outcome__clear(&o);
}

static void count_setup(void)
{
	setups++;
}

static void count_teardown(void)
{
	teardowns++;
}

static void skip_in_setup(void)
{
	setups++;
	cbench_skip("no %s here", "GPU");
}

static void fail_midway(void)
{
	CBENCH_MEASURE {
		work();
		if (calls == 5)
			cbench_fail("value was %d", 7);
	}
}

static void assert_in_body(void)
{
	CBENCH_MEASURE work();
	cbench_assert(calls == 0);
}

Test(engine, skip_in_setup_skips_without_teardown)
{
	struct cbench_engine_config c = config(5, 0, 1, 0);
	struct cbench_engine_job j = job_of(run_work);
	struct cbench_outcome o;

	reset(1);
	j.setup = skip_in_setup;
	j.teardown = count_teardown;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_SKIPPED);
	cr_assert_str_eq(o.message, "no GPU here");
	cr_assert_eq(setups, 1);
	cr_assert_eq(teardowns, 0);
	cr_assert_eq(calls, 0);
	cbench_outcome__clear(&o);
}

Test(engine, failure_in_body_still_tears_down)
{
	struct cbench_engine_config c = config(50, 0, 1, 0);
	struct cbench_engine_job j = job_of(fail_midway);
	struct cbench_outcome o;

	reset(1);
	j.setup = count_setup;
	j.teardown = count_teardown;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_FAILED);
	cr_assert_str_eq(o.message, "value was 7");
	cr_assert_eq(teardowns, 1);
	/* the 4 rounds measured before the failure are kept */
	cr_assert_eq(o.nsamples, 4);
	cbench_outcome__clear(&o);
}

Test(engine, assert_names_file_line_and_condition)
{
	struct cbench_engine_config c = config(3, 0, 1, 0);
	struct cbench_engine_job j = job_of(assert_in_body);
	struct cbench_outcome o;

	reset(1);
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_FAILED);
	cr_assert(strstr(o.message, "test_engine.c:") != NULL, "%s", o.message);
	cr_assert(strstr(o.message, "assertion failed: calls == 0") != NULL, "%s", o.message);
	cbench_outcome__clear(&o);
}

static void measure_twice(void)
{
	CBENCH_MEASURE work();
	CBENCH_MEASURE work();
}

static void never_measures(void)
{
	work();
}

Test(engine, measure_block_must_run_exactly_once)
{
	struct cbench_engine_config c = config(3, 0, 1, 0);
	struct cbench_engine_job j = job_of(measure_twice);
	struct cbench_outcome o;

	reset(1);
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_ERROR);
	cr_assert(strstr(o.message, "twice") != NULL);
	cbench_outcome__clear(&o);

	j = job_of(never_measures);
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_ERROR);
	cr_assert(strstr(o.message, "never ran CBENCH_MEASURE") != NULL);
	cbench_outcome__clear(&o);
}

static void custom_metrics(void)
{
	CBENCH_MEASURE work();
	cbench_metric("hits", 3, "ratio", CBENCH_HIGHER_IS_BETTER);
	cbench_metric("hits", 5, "ratio", CBENCH_HIGHER_IS_BETTER);
	cbench_metric("bytes[fixed]", 64, "B", CBENCH_LOWER_IS_BETTER);
	cbench_throughput("items", 8, "items/s");
	cr_assert_str_eq(cbench_param(), "512");
	cr_assert_eq(cbench_param_int(), 512);
	cr_assert_eq(cbench_param_index(), 2);
}

Test(engine, custom_metrics_and_params)
{
	struct cbench_engine_config c = config(4, 0, 2, 0);
	struct cbench_engine_job j = job_of(custom_metrics);
	struct cbench_outcome o;

	reset(500);
	j.param = "512";
	j.param_index = 2;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_PASSED, "%s", o.message);
	cr_assert_eq(o.ncustom, 3);
	cr_assert_str_eq(o.custom[0].name, "hits[512]");
	cr_assert_eq(o.custom[0].n, 2);
	cr_assert_float_eq(o.custom[0].values[1], 5, 1e-12);
	cr_assert_eq(o.custom[0].direction, CBENCH_HIGHER_IS_BETTER);
	/* a name that already carries brackets is kept as it is */
	cr_assert_str_eq(o.custom[1].name, "bytes[fixed]");
	/* throughput: 8 items per 500 ns call, for each of the 4 rounds */
	cr_assert_str_eq(o.custom[2].name, "items[512]");
	cr_assert_str_eq(o.custom[2].unit, "items/s");
	cr_assert_eq(o.custom[2].n, 4);
	cr_assert_float_eq(o.custom[2].values[0], 8 / 500e-9, 1e-3);
	cbench_outcome__clear(&o);
}

static volatile sig_atomic_t stop_flag;

static void stop_after_some(void)
{
	CBENCH_MEASURE {
		work();
		if (calls == 25)
			stop_flag = SIGINT;
	}
}

Test(engine, stop_flag_ends_with_partial_samples)
{
	struct cbench_engine_config c = config(1000, 0, 1, 0);
	struct cbench_engine_job j = job_of(stop_after_some);
	struct cbench_outcome o;

	reset(1);
	stop_flag = 0;
	c.stop = &stop_flag;
	cbench_engine__run(&o, &c, &j);
	cr_assert(o.interrupted);
	cr_assert_eq(o.status, CBENCH_STATUS_ERROR);
	cr_assert_eq(o.nsamples, 25);
	cr_assert_str_eq(o.message, "interrupted after 25 of 1000 rounds");
	cbench_outcome__clear(&o);
}

static void fixture_reader(void)
{
	int *v = cbench_fixture("numbers");

	CBENCH_MEASURE work();
	cr_assert_eq(*v, 99);
	cbench_fixture("not_listed");
}

Test(engine, fixtures_by_name)
{
	struct cbench_engine_config c = config(2, 0, 1, 0);
	struct cbench_engine_job j = job_of(fixture_reader);
	struct cbench_outcome o;
	int value = 99;
	const char *names[] = { "numbers" };
	void *values[] = { &value };

	reset(1);
	j.fixture_names = names;
	j.fixture_values = values;
	j.nfixtures = 1;
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_FAILED);
	cr_assert_str_eq(o.message, "fixture \"not_listed\" is not listed in .fixtures");
	cbench_outcome__clear(&o);
}
