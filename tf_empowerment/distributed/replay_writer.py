"""The actor's replay observer: each environment's steps into Reverb, one writer per environment.

The trainer's actor runs a compiled TF driver over a batch of environments; TF-Agents' Reverb
observers take one unbatched trajectory at a time, from Python. This observer hands each
batched step out of the driver (a numpy_function) to one Reverb trajectory writer per
environment index, which appends what the replay items store of the step (replay_items: the
whole step, or the newest frame of its stack) and, once the environment has that many steps,
inserts the item of its last `item_length` steps at every step (and, for a run with an
intrinsic reward, to one more writer that queues the whole batched step for the learner's
`observe`). Windows run on across episode ends, as in the in-process uniform buffer, and the
learner weights out the ones that are no transition (replay.transitions.window_weights).
"""
import numpy as np
import tensorflow as tf

from tf_empowerment.distributed import connection
from tf_empowerment.distributed import replay_server


class ReplayWriter:
  """A TF observer of trajectories [num_envs] that writes them, as `items`
  (replay_items.StepWindows) stores them, to the server that `server` (a
  distributed.connection.Connection) reaches.

  Inserts are sent in the background; `flush` waits until at most `pending_items` per
  environment are unconfirmed, so the replay table's rate limiter holds the actor back.
  With `observed`, each batched step is also queued whole for the learner's intrinsic reward
  to observe (replay_server.OBSERVE_TABLE). Each batched step is first checked to fit what the
  items store (frames stored once: its stacks are those the sampler will rebuild).
  """

  def __init__(self, server, num_envs, items, observed=False, pending_items=8):
    self._connection = server
    self._items = items
    self._pending_items = pending_items
    def writer(steps):
      return server.client.trajectory_writer(num_keep_alive_refs=steps,
                                                 validate_items=False)
    self._writers = [writer(items.item_length) for _ in range(num_envs)]
    self._observed_writer = writer(1) if observed else None
    self._check = items.stack_check(num_envs)

  def __call__(self, trajectory):
    """Writes one batched step (called inside the actor's compiled driver)."""
    return tf.numpy_function(self._write, tf.nest.flatten(trajectory), tf.int64, stateful=True)

  def _write(self, *columns):
    step = tf.nest.pack_sequence_as(self._items.trajectory_spec, columns)
    self._check(step)
    stored = tf.nest.flatten(self._items.stored(step))
    length = self._items.item_length
    for env, writer in enumerate(self._writers):
      writer.append([column[env] for column in stored])
      if writer.episode_steps >= length:
        item = [column[-length:] for column in writer.history]
        writer.create_item(replay_server.REPLAY_TABLE, priority=1.0, trajectory=item)
    if self._observed_writer is not None:
      self._observed_writer.append(list(columns))
      self._observed_writer.create_item(
          replay_server.OBSERVE_TABLE, priority=1.0,
          trajectory=[column[-1] for column in self._observed_writer.history])
    return np.int64(0)

  def flush(self, pending_items=None):
    """Waits up to the connection's call_timeout for the server to confirm all but
    `pending_items` (None: the writer's) inserts per environment; whether it did (the rate
    limiter holds inserts while the learner is behind, or the server is gone)."""
    pending_items = self._pending_items if pending_items is None else pending_items
    timeout_ms = int(self._connection.call_timeout * 1000)
    try:
      for writer in self._all_writers():
        writer.flush(block_until_num_items=pending_items, timeout_ms=timeout_ms)
    except connection.NO_ANSWER:
      return False
    return True

  def close(self):
    """Sends what the server still takes within call_timeout, then closes the writers."""
    self.flush(pending_items=0)
    for writer in self._all_writers():
      writer.close()

  def _all_writers(self):
    return self._writers + ([self._observed_writer] if self._observed_writer else [])
