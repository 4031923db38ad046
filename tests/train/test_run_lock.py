"""Tests of run_lock against real second processes."""
import os
import signal
import subprocess

from absl.testing import absltest

from tests import processes
from tf_empowerment.train import run_lock

# Holds the lock on argv[1], says so, then waits for its stdin to close.
_HOLDER = """
import sys
from tf_empowerment.train import run_lock
with run_lock.hold(sys.argv[1]):
  print("held", flush=True)
  sys.stdin.read()
"""


class HoldTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self.root_dir = os.path.join(self.create_tempdir().full_path, "run")

  def _start_holder(self):
    """A second process holding the lock on root_dir; stopped when the test ends."""
    holder = processes.start(self, _HOLDER, self.root_dir, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    self.assertEqual(holder.stdout.readline().strip(), "held", "the holder never took the lock")
    return holder

  def test_a_run_held_elsewhere_fails_naming_the_holder(self):
    holder = self._start_holder()
    message = f"{self.root_dir} is in use by another training run (pid {holder.pid})"
    with self.assertRaisesWithLiteralMatch(run_lock.RunInUseError, message):
      with run_lock.hold(self.root_dir):
        pass
    holder.stdin.close()
    self.assertEqual(holder.wait(timeout=10), 0, "the holder failed")
    with run_lock.hold(self.root_dir):
      pass

  def test_a_killed_holder_leaves_the_run_free(self):
    holder = self._start_holder()
    os.kill(holder.pid, signal.SIGKILL)
    self.assertEqual(holder.wait(timeout=10), -signal.SIGKILL, "the holder outlived SIGKILL")
    with run_lock.hold(self.root_dir):
      with open(os.path.join(self.root_dir, ".lock")) as lock_file:
        self.assertEqual(lock_file.read().strip(), str(os.getpid()), "the lock names no holder")


if __name__ == "__main__":
  absltest.main()
