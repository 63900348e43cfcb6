"""pytest-benchmark's side of `make compare-verdicts` (verdicts_tools.sh).

The four workloads of verdict_workloads.c, called through ctypes from the
shared object the harness links from the same position-independent object
the cbench and Google Benchmark runners link (VERDICT_SO names it), at
pytest-benchmark's default settings. Run by verdicts_tools.sh with Debian's
python3-pytest-benchmark 3.2.2:

    VERDICT_SO=BUILD/verdicts-tools/normal/libverdict.so \\
        python3 -m pytest -p no:cacheprovider -q test_verdicts_pytest.py \\
        --benchmark-json=FILE [--benchmark-save=base | --benchmark-compare=NNNN
        --benchmark-compare-fail=median:5%] --benchmark-storage=file://DIR

What it times is the ctypes call, not only the workload. Measured on the
2-vCPU AMD EPYC VM of docs/measurement.md (2026-11-30, Python 3.11,
timeit, best of 5 x 10^6 calls): a ctypes call with argtypes set costs
0.20 us for verdict_call_1ns(x) and 0.11 us for a function without
arguments; pytest-benchmark, with its own loop around it, reads
`call_1ns` at 0.27 us (median of the 3 A/A runs of the harness's check,
VT_QUICK=1).
So ctypes adds some 0.2-0.3 us per call here (more on slower machines),
which dominates the ~1.5 ns call-bound workload: `call_1ns` on this side
measures ctypes, about 180 times the workload. For the ~1 us workload it
is a fifth of the reading; for 100 us and the 32 MiB walk, noise.
"""
import ctypes
import os

import pytest

SEED = 0x9E3779B97F4A7C15


def _load():
    path = os.environ.get("VERDICT_SO")
    if not path:
        pytest.skip("VERDICT_SO (the workloads' shared object) is not set", allow_module_level=True)
    lib = ctypes.CDLL(os.path.abspath(path))
    lib.compare_hash_chain.argtypes = [ctypes.c_uint64]
    lib.compare_hash_chain.restype = ctypes.c_uint64
    lib.verdict_dot_100us.argtypes = []
    lib.verdict_dot_100us.restype = ctypes.c_double
    lib.verdict_call_1ns.argtypes = [ctypes.c_uint64]
    lib.verdict_call_1ns.restype = ctypes.c_uint64
    lib.verdict_walk_32mib.argtypes = []
    lib.verdict_walk_32mib.restype = ctypes.c_uint64
    lib.verdict_prepare.argtypes = []
    lib.verdict_prepare.restype = ctypes.c_int
    # The arrays and the 32 MiB buffer, built before anything is timed.
    if lib.verdict_prepare() != 0:
        pytest.skip("cannot allocate the 32 MiB buffer", allow_module_level=True)
    return lib


LIB = _load()


def test_hash_1us(benchmark):
    benchmark(LIB.compare_hash_chain, SEED)


def test_dot_100us(benchmark):
    benchmark(LIB.verdict_dot_100us)


def test_call_1ns(benchmark):
    benchmark(LIB.verdict_call_1ns, SEED)


def test_walk_32mib(benchmark):
    benchmark(LIB.verdict_walk_32mib)
