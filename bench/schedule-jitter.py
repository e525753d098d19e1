"""Schedule fire jitter from the executions of an every-second cron workflow (bench/run.sh section 7).

Reads the executions JSON list on stdin; for each run prints nothing, at the end: how many runs, and
median / p99 / max of (firedAt - scheduledTime) (the trigger waking up) and of (execution startedAt -
scheduledTime) (the run accepted, persisted and started), in milliseconds.
"""
import json
import sys
from datetime import datetime


def instant(text):
    # ISO-8601 with up to nanoseconds and a Z: keep microseconds, which datetime can hold
    text = text.rstrip("Z")
    if "." in text:
        whole, fraction = text.split(".")
        text = whole + "." + (fraction + "000000")[:6]
    return datetime.fromisoformat(text)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


items = json.load(sys.stdin)
fired, started = [], []
for e in items:
    scheduled = instant(e["input"]["scheduledTime"])
    fired.append((instant(e["input"]["firedAt"]) - scheduled).total_seconds() * 1000)
    started.append((instant(e["startedAt"]) - scheduled).total_seconds() * 1000)
print("fires: %d" % len(items))
for label, values in (("trigger woke (firedAt - scheduled)", fired), ("run started (startedAt - scheduled)", started)):
    print("%-38s median %6.2f ms   p99 %6.2f ms   max %6.2f ms" % (label, percentile(values, 50), percentile(values, 99), max(values)))
