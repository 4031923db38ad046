"""Tests of StopOnInterrupt: real SIGINTs and SIGTERMs sent to a real run-loop-shaped process."""
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
previous = [signal.getsignal(number) for number in interrupts.STOP_SIGNALS]
with interrupts.StopOnInterrupt() as stop:
  print("ready", flush=True)
  while not stop.requested:
    time.sleep(0.01)
  print("saving", flush=True)
  if sys.argv[1] == "endless_save":
    sum(itertools.repeat(0))
restored = [signal.getsignal(number) for number in interrupts.STOP_SIGNALS] == previous
print("saved", restored, stop.exit_status, flush=True)
"""


class StopOnInterruptTest(absltest.TestCase):

  def _start(self, save):
    """The loop, ready for SIGINTs; stopped when the test ends."""
    loop = processes.start(self, _LOOP, save, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    self.assertEqual(loop.stdout.readline().strip(), "ready", "the loop never started")
    return loop

  def test_first_signal_saves_exits_zero_and_restores_the_handlers(self):
    for number, status in ((signal.SIGINT, "130"), (signal.SIGTERM, "143")):
      with self.subTest(signal=number.name):
        loop = self._start("quick_save")
        loop.send_signal(number)
        stdout, stderr = loop.communicate(timeout=10)
        self.assertEqual(loop.returncode, 0, f"exit status {loop.returncode}, not 0")
        self.assertEqual(stdout.split(), ["saving", "saved", "True", status],
                         "no save, the handlers stayed, or the wrong exit status")
        warnings = [line for line in stderr.splitlines() if f"{number.name}: saving" in line]
        self.assertLen(warnings, 1, f"{len(warnings)} '{number.name}: saving' lines, not one")
        self.assertIn("a second signal (Ctrl-C again) stops at once", warnings[0])

  def test_second_signal_stops_at_once_even_inside_a_c_call(self):
    for first, second in ((signal.SIGINT, signal.SIGINT), (signal.SIGTERM, signal.SIGINT),
                          (signal.SIGINT, signal.SIGTERM)):
      with self.subTest(first=first.name, second=second.name):
        loop = self._start("endless_save")
        loop.send_signal(first)
        self.assertEqual(loop.stdout.readline().strip(), "saving", "the first signal was missed")
        time.sleep(0.5)  # Into the C loop.
        loop.send_signal(second)
        try:
          loop.wait(timeout=10)
        except subprocess.TimeoutExpired:
          self.fail(f"the second signal ({second.name}) did not stop the process")
        self.assertEqual(loop.returncode, -second,  # Status 128 + its number in a shell.
                         f"exit status {loop.returncode}, not killed by {second.name}")


if __name__ == "__main__":
  absltest.main()
