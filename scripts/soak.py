#!/usr/bin/env python3
"""The client side of scripts/soak.sh: CLIENTS threads stream speech from a pocket-tts server on loopback for SECONDS,
checking every body, while another thread samples the server's resident memory. Prints a report; exit 1 on any
error or malformed body. Standard library only."""
import http.client
import json
import random
import struct
import sys
import threading
import time
from collections import Counter

host, port, pid, clients, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
if host not in ("127.0.0.1", "localhost", "::1"):
    sys.exit("soak: loopback only")
TEXTS = ["Hello.", "The quick brown fox jumps over the lazy dog.", "One, two, three. Four, five, six? Seven!",
         "A longer sentence that the model has to speak for a while, with a comma, and another one, before it ends."]
deadline = time.monotonic() + seconds
statuses, problems, lock = Counter(), [], threading.Lock()
rss = []


def check(fmt, body):
    if fmt == "pcm":
        return None if len(body) > 0 and len(body) % 2 == 0 else f"pcm body of {len(body)} bytes"
    if len(body) < 44 or body[:4] != b"RIFF" or body[8:12] != b"WAVE":
        return "wav without a RIFF/WAVE header"
    rate, = struct.unpack("<I", body[24:28])
    return None if rate == 24000 and (len(body) - 44) % 2 == 0 else f"wav header rate {rate}, {len(body)} bytes"


def client(index):
    rng = random.Random(index)
    while time.monotonic() < deadline:
        fmt = rng.choice(["pcm", "wav"])
        payload = json.dumps({"model": "tts-1", "input": rng.choice(TEXTS), "voice": "alloy", "response_format": fmt})
        try:
            connection = http.client.HTTPConnection(host, port, timeout=120)
            connection.request("POST", "/v1/audio/speech", payload, {"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read()
            status = response.status
            connection.close()
        except Exception as e:  # a reset or a timeout is an error of the run
            with lock:
                statuses["exception"] += 1
                problems.append(f"client {index}: {type(e).__name__}: {e}")
            continue
        problem = check(fmt, body) if status == 200 else None
        with lock:
            statuses[status] += 1
            if problem:
                problems.append(f"client {index}: {problem}")


def sample_rss():
    start = time.monotonic()
    while time.monotonic() < deadline + 1:
        try:
            with open(f"/proc/{pid}/status") as f:
                kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            rss.append((time.monotonic() - start, kb / 1024))
        except (OSError, StopIteration):
            break
        time.sleep(5)


threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)] + [threading.Thread(target=sample_rss)]
for t in threads:
    t.start()
for t in threads:
    t.join()
total = sum(statuses.values())
print(f"soak: {clients} clients for {seconds:.0f} s on {host}:{port}: {total} requests")
print("  by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))))
print(f"  malformed bodies: {len(problems) - statuses['exception']}, errors: {statuses['exception']}")
for p in problems[:10]:
    print("   ", p)
if rss:
    print(f"  server RSS MB: start {rss[0][1]:.0f}, min {min(r for _, r in rss):.0f}, max {max(r for _, r in rss):.0f}, end {rss[-1][1]:.0f}")
    print("  RSS over time: " + " ".join(f"{t:.0f}s={r:.0f}" for t, r in rss))
bad = sum(v for k, v in statuses.items() if k != 200)
sys.exit(1 if problems or bad or total == 0 else 0)
