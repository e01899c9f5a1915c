"""What the anchor scripts share: how one case is timed."""
import time


def median_seconds(fn, min_time):
    """Median seconds of `fn` after five warm-up calls, over at least 20 calls and `min_time` seconds."""
    for _ in range(5):
        fn()
    times, start = [], time.perf_counter()
    while len(times) < 20 or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]
