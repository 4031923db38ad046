"""Ctrl-C during training: the first asks the run loop to save and stop, a second stops at once.

The second Ctrl-C is left to SIGINT's default action, not to a Python handler: Python runs
its handlers only between bytecodes, so one could not stop a run stuck in a long TensorFlow
call (such as the save the first Ctrl-C asked for). The kernel ends the process at once and
a shell reports its status as 130.
"""
import signal

from absl import logging


class StopOnInterrupt:
  """A context manager around the run loop; `requested` turns True on the first SIGINT.

  The loop checks `requested` after each iteration, then saves and stops. The SIGINT handler
  in place before `with` is back after it.
  """

  def __init__(self):
    self.requested = False
    self._previous_handler = None

  def __enter__(self):
    self._previous_handler = signal.signal(signal.SIGINT, self._on_first_interrupt)
    return self

  def __exit__(self, *exc_info):
    signal.signal(signal.SIGINT, self._previous_handler)

  def _on_first_interrupt(self, signum, frame):
    del signum, frame
    self.requested = True
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    logging.warning("Interrupted: saving a checkpoint after this iteration, then stopping; "
                    "Ctrl-C again stops at once without saving")
