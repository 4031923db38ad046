"""Tests of StopOnInterrupt: real SIGINTs sent to a real run-loop-shaped process."""
import signal
import subprocess
import time

from absl.testing import absltest

from tests import processes

# Iterates until a stop is requested, then "saves": quickly, or in a C loop that, like a
# long TensorFlow call, never returns to Python.
_LOOP = """
import itertools, signal, sys, time
from tf_empowerment.train import interrupts
previous = signal.getsignal(signal.SIGINT)
with interrupts.StopOnInterrupt() as stop:
  print("ready", flush=True)
  while not stop.requested:
    time.sleep(0.01)
  print("saving", flush=True)
  if sys.argv[1] == "endless_save":
    sum(itertools.repeat(0))
print("saved", signal.getsignal(signal.SIGINT) is previous, flush=True)
"""


class StopOnInterruptTest(absltest.TestCase):

  def _start(self, save):
    """The loop, ready for SIGINTs; stopped when the test ends."""
    loop = processes.start(self, _LOOP, save, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    self.assertEqual(loop.stdout.readline().strip(), "ready", "the loop never started")
    return loop

  def test_first_interrupt_saves_exits_zero_and_restores_the_handler(self):
    loop = self._start("quick_save")
    loop.send_signal(signal.SIGINT)
    stdout, stderr = loop.communicate(timeout=10)
    self.assertEqual(loop.returncode, 0, f"exit status {loop.returncode}, not 0")
    self.assertEqual(stdout.split(), ["saving", "saved", "True"], "no save, or the handler stayed")
    warnings = [line for line in stderr.splitlines() if "Interrupted:" in line]
    self.assertLen(warnings, 1, f"{len(warnings)} 'Interrupted:' lines, not one")
    self.assertIn("Ctrl-C again stops at once", warnings[0])

  def test_second_interrupt_stops_at_once_even_inside_a_c_call(self):
    loop = self._start("endless_save")
    loop.send_signal(signal.SIGINT)
    self.assertEqual(loop.stdout.readline().strip(), "saving", "the first SIGINT was missed")
    time.sleep(0.5)  # Into the C loop.
    loop.send_signal(signal.SIGINT)
    try:
      loop.wait(timeout=10)
    except subprocess.TimeoutExpired:
      self.fail("the second SIGINT did not stop the process")
    self.assertEqual(loop.returncode, -signal.SIGINT,  # Status 130 in a shell.
                     f"exit status {loop.returncode}, not killed by SIGINT")


if __name__ == "__main__":
  absltest.main()
