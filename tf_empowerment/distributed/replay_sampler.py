"""The replay table as the trainer's ReplayLearner samples it, so the learner job reuses it whole.

ReplayLearner samples with `replay.get_next(sample_batch_size, num_steps)` inside its compiled
update and checks `replay.num_frames()` before learning starts. Here both come from the Reverb
table: batches from a TF-Agents ReverbReplayBuffer dataset of the stored items (its iterator is
read inside the compiled update), mapped to windows of the run's trajectory spec (for frames
stored once, the stacks rebuilt: replay_items), the size from the server's table info, with the
connection's deadline.
"""
from tf_agents.replay_buffers import reverb_replay_buffer

from tf_empowerment.distributed import replay_server


class ReplaySampler:
  """Windows [batch_size, sequence_length] of the trajectory spec of `items`
  (replay_items.StepWindows) from the server `connection` reaches.

  A sample that the rate limiter holds back for more than `timeout` seconds ends the dataset:
  the compiled update then raises tf.errors.OutOfRangeError, and the caller makes a new
  sampler (and learner) to wait again, or gives up.
  """

  def __init__(self, connection, items, batch_size, timeout):
    self._connection = connection
    self._batch_size = batch_size
    self._sequence_length = items.sequence_length
    connection.table_info(replay_server.REPLAY_TABLE)  # reachable before TF-Agents' calls
    buffer = reverb_replay_buffer.ReverbReplayBuffer(
        items.stored_spec, replay_server.REPLAY_TABLE, items.item_length,
        server_address=connection.address, rate_limiter_timeout_ms=int(timeout * 1000))
    dataset = buffer.as_dataset(sample_batch_size=batch_size, num_steps=items.item_length)
    self._iterator = iter(dataset.map(items.windows).prefetch(1))

  def get_next(self, sample_batch_size=None, num_steps=None):
    """(Trajectory [batch_size, sequence_length, ...], SampleInfo), as the replay buffers'."""
    if (sample_batch_size, num_steps) != (self._batch_size, self._sequence_length):
      raise ValueError(f"ReplaySampler samples [{self._batch_size}, {self._sequence_length}] "
                       f"windows, not [{sample_batch_size}, {num_steps}]")
    return next(self._iterator)

  def num_frames(self):
    """The windows the table holds."""
    return self._connection.table_info(replay_server.REPLAY_TABLE).current_size
