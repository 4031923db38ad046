"""Real child Python processes for tests, each stopped when the test that started it ends."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(test, script, *args, **popen_args):
  """Starts `python -c script args` with this repository importable, as a text-mode Popen;
  killed, its pipes closed and waited for in `test`'s cleanup."""
  process = subprocess.Popen([sys.executable, "-c", script, *args],
                             env=dict(os.environ, PYTHONPATH=REPO), text=True, **popen_args)
  test.enter_context(process)  # Closes its pipes and waits for it,
  test.addCleanup(process.kill)  # once killed.
  return process
