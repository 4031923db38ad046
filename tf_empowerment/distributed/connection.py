"""Reaching the replay server: retries with a log line, then one error after a deadline.

Reverb's client calls wait for the server as long as they are allowed to, so every call a job
makes to the server goes through a deadline here: a wrong address, or a server that died and
is not restarted, ends the job with one line instead of a hang.
"""
import time

from absl import logging
import gin
import reverb
import tensorflow as tf


# How Reverb's calls fail when the server does not answer: its Python client raises
# DeadlineExceededError after a timeout and RuntimeError ("Socket closed", "failed to connect")
# when the connection breaks; its TF ops raise tf.errors.UnavailableError.
NO_ANSWER = (reverb.errors.DeadlineExceededError, RuntimeError, tf.errors.UnavailableError)


class ReplayUnreachableError(ConnectionError):
  """The replay server did not answer before the deadline; the message is one line."""


@gin.configurable(denylist=["address"])
class Connection:
  """A Reverb client for the server at `address` ('HOST:PORT') whose calls give up.

  Each call waits `call_timeout` seconds for an answer; a call that gets none is retried, with
  a log line, until `give_up_after` seconds have passed without an answer, then raises
  ReplayUnreachableError.
  """

  def __init__(self, address, call_timeout=5.0, give_up_after=300.0):
    if call_timeout <= 0 or give_up_after <= 0:
      raise ValueError(f"Connection.call_timeout and give_up_after must be positive, got "
                       f"{call_timeout} and {give_up_after}")
    self.address = address
    self.client = reverb.Client(address)
    self.call_timeout = call_timeout
    self.give_up_after = give_up_after

  def table_info(self, table):
    """The server's TableInfo of `table`, retried until `give_up_after`."""
    return self.retry(lambda: self.client.server_info(
        timeout=max(int(self.call_timeout), 1))[table], f"reading table {table!r}")

  def wait_until(self, ready, what):
    """Calls `ready()` every `call_timeout` seconds until it is true, with a log line each
    time it is not; ReplayUnreachableError after `give_up_after` seconds."""
    deadline = time.monotonic() + self.give_up_after
    while not ready():
      if time.monotonic() >= deadline:
        raise ReplayUnreachableError(f"replay server at {self.address}: gave up after "
                                     f"{self.give_up_after:g} s {what}")
      logging.info("%s (replay server at %s)", what, self.address)
      time.sleep(self.call_timeout)

  def retry(self, call, what):
    """`call()`, retried while the server does not answer it (a deadline passed, or the
    connection broke: a server restarting) until `give_up_after`."""
    deadline = time.monotonic() + self.give_up_after
    while True:
      try:
        return call()
      except NO_ANSWER as error:
        if time.monotonic() >= deadline:
          raise ReplayUnreachableError(
              f"replay server at {self.address}: no answer for {self.give_up_after:g} s "
              f"while {what}") from None
        logging.warning("replay server at %s: no answer while %s (%s); retrying for up to %g "
                        "s in all", self.address, what, type(error).__name__,
                        self.give_up_after)
        time.sleep(min(self.call_timeout, 1.0))
