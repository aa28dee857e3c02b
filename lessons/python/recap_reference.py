"""The build machine's figures in the choosing chapter's recap.

Runs each example the recap has a cell for, headless, twice, with the
release binary, and prints the best wall time and the units done:

    cargo build --release
    python3 lessons/python/recap_reference.py [path/to/racecourse]

The figures in src/progress/recap/reference.rs are this script's output on
the 2-core build machine with nothing else running. It measures racecourse,
not CPython.
"""
import json
import subprocess
import sys

B = sys.argv[1] if len(sys.argv) > 1 else "target/release/racecourse"
runs=[("three-ways","threads",["--workload","io","--tasks","8","--workers","4"]),
("three-ways","async",["--workload","io","--tasks","8","--workers","4"]),
("three-ways","processes",["--workload","io","--tasks","8","--workers","4"]),
("download","sync",["--count","160","--latency","100"]),
("download","threads",["--count","160","--latency","100","--workers","10"]),
("download","async",["--count","160","--latency","100","--workers","0"]),
("three-ways","threads",["--workload","cpu","--tasks","4","--workers","2","--hashes","2000000"]),
("three-ways","async",["--workload","cpu","--tasks","4","--workers","2","--hashes","2000000"]),
("three-ways","processes",["--workload","cpu","--tasks","4","--workers","2","--hashes","2000000"]),
("hash","sequential",["--prefix","000000","--workers","2"]),
("hash","threads-gil",["--prefix","000000","--workers","2"]),
("hash","threads",["--prefix","000000","--workers","2"]),
("hash","processes",["--prefix","000000","--workers","2"]),
]
for ex,mode,opts in runs:
    best=None
    for k in range(2):
        out=subprocess.run([B,"run",ex,"--mode",mode,*opts,"--json"],capture_output=True,text=True).stdout
        last=[l for l in out.splitlines() if l.startswith('{"counts"')][-1]
        j=json.loads(last)
        done=sum(l["done"] for l in j["lanes"])
        w=j["wall_ms"]
        if best is None or w<best[0]: best=(w,done)
    print(ex,mode," ".join(opts),"wall_ms %.1f done %d"%best, flush=True)
