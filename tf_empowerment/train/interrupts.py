"""Ctrl-C or SIGTERM during training: the first asks the run loop to save and stop, a second
stops at once.

SIGTERM is what job schedulers, `kill` and launch_local.py send, so it saves like Ctrl-C. The
second signal is left to its default action, not to a Python handler: Python runs its handlers
only between bytecodes, so one could not stop a run stuck in a long TensorFlow call (such as
the save the first signal asked for). The kernel ends the process at once and a shell reports
its status as 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
"""
import signal

from absl import logging

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopOnInterrupt:
  """A context manager around the run loop; `requested` turns True on the first SIGINT or
  SIGTERM, and `signal_number` says which.

  The loop checks `requested` after each iteration, then saves and stops. The handlers in
  place before `with` are back after it.
  """

  def __init__(self):
    self.signal_number = None
    self._previous_handlers = {}

  @property
  def requested(self):
    return self.signal_number is not None

  @property
  def exit_status(self):
    """The shell's status of a process the requesting signal stopped (130 for SIGINT)."""
    return 128 + self.signal_number

  def __enter__(self):
    self._previous_handlers = {number: signal.signal(number, self._on_first_signal)
                               for number in STOP_SIGNALS}
    return self

  def __exit__(self, *exc_info):
    for number, handler in self._previous_handlers.items():
      signal.signal(number, handler)

  def _on_first_signal(self, signum, frame):
    del frame
    self.signal_number = signum
    for number in STOP_SIGNALS:
      signal.signal(number, signal.SIG_DFL)
    name = signal.Signals(signum).name
    logging.warning("%s: saving a checkpoint after this iteration, then stopping; a second "
                    "signal (Ctrl-C again) stops at once without saving", name)
