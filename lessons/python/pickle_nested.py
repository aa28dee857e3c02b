"""A message between processes is a pickle: what cannot be pickled cannot
be sent.

What it measures:

  1. the bytes of pickle.dumps(['hello', 'world']) (what Queue.put and
     Connection.send write, after a 4-byte length);
  2. CPython's error for a function defined inside another function,
     sent through a multiprocessing Queue.

How to run it (stdlib only):

    python3 lessons/python/pickle_nested.py

Prints `key: value` lines.
"""

import pickle
from multiprocessing import Pipe


def main():
    data = pickle.dumps(['hello', 'world'])
    print(f"pickle_bytes: {len(data)}")
    print(f"pickle_hex: {data.hex(' ')}")

    def nested(x):
        return x * x

    a, b = Pipe()
    try:
        a.send(nested)
    except Exception as e:  # what the learner would see
        print(f"nested_send: {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
