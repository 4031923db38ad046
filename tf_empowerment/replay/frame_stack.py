"""A replay buffer of frame-stacked Atari trajectories that stores each frame once.

A TFUniformReplayBuffer of Trajectory keeps the whole [84, 84, 4] uint8 stack of every step,
28 KB a transition. This buffer keeps only each step's newest frame `observation[..., -1]`
(7 KB) and rebuilds the stacks when sampling, from the frames of the previous steps of the
same environment. ALE's AtariVectorEnv starts every episode (reset, autoreset, episodic-life
reset) with zero frames behind the first one, so frames from before an episode's FIRST step are
rebuilt as zeros. `add_batch` checks each stack it is given against that rule, so every stack
the buffer returns is the one the environment produced. The rule (stack_frames, and
stacks_follow for an actor's check of it) is shared with the distributed replay, which stores
frames the same way (distributed.replay_items).
"""
import uuid

import gin
import tensorflow as tf
from tf_agents.replay_buffers import replay_buffer
from tf_agents.replay_buffers import table
from tf_agents.replay_buffers.tf_uniform_replay_buffer import BufferInfo
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory
from tf_agents.utils import nest_utils

_STACK_MISMATCH = (
    "FrameStackReplayBuffer.add_batch: an observation stack differs from the frames stored "
    "for its environment; add each environment's steps in order, starting episodes with a "
    "FIRST step whose older frames are zero (ALE's reset stack)")


def frame_spec(data_spec, stack_size):
  """The spec [height, width] of one frame of `data_spec`'s observation stacks; ValueError
  unless `data_spec` is a Trajectory spec whose observation is [height, width, stack_size]."""
  observation = getattr(data_spec, "observation", None)
  if not (isinstance(data_spec, trajectory.Trajectory)
          and isinstance(observation, tf.TensorSpec)
          and observation.shape.rank == 3 and observation.shape[-1] == stack_size):
    raise ValueError(f"FrameStackReplayBuffer needs a Trajectory spec whose observation is "
                     f"[height, width, {stack_size}], got observation {observation}")
  return tf.TensorSpec(observation.shape[:-1], observation.dtype, name="frame")


def stack_frames(frames, step_types):
  """Stacks [..., H, W, S] from the frames [..., S, H, W] and step types [..., S] of S
  consecutive steps, oldest first.

  Frames from before the FIRST step of the newest frame's episode are zeros, as in ALE's
  reset stack.
  """
  is_first = tf.cast(tf.equal(step_types, ts.StepType.FIRST), tf.int32)
  later_firsts = tf.math.cumsum(is_first, axis=-1, exclusive=True, reverse=True)
  frames = tf.where(tf.equal(later_firsts, 0)[..., None, None], frames, tf.zeros_like(frames))
  rank = frames.shape.rank
  return tf.transpose(frames, list(range(rank - 3)) + [rank - 2, rank - 1, rank - 3])


@tf.function(jit_compile=True)
def stack_windows(frames, step_types, stack_size):
  """Stacks [..., T, H, W, S] of the last T of T + S - 1 consecutive steps, from all their
  frames [..., T + S - 1, H, W] and step types [..., T + S - 1], S = `stack_size`.

  XLA fuses the gathers with the move of the stack axis last: 8x faster than TF's ops.
  """
  num_steps = frames.shape[-3] - stack_size + 1
  steps = tf.range(num_steps)[:, None] + tf.range(stack_size)  # [T, S]
  return stack_frames(tf.gather(frames, steps, axis=-3), tf.gather(step_types, steps, axis=-1))


def stacks_follow(previous_stacks, stacks, step_types):
  """Whether numpy `stacks` [B, H, W, S] of steps of `step_types` [B] follow `previous_stacks`
  [B, H, W, S] as stack_frames rebuilds them: each stack's S - 1 older frames are its
  predecessor's S - 1 newest, or zeros at a FIRST step. Checked step by step, that is the rule.
  """
  batch, stack_size = stacks.shape[0], stacks.shape[-1]
  new, old = stacks.reshape(batch, -1), previous_stacks.reshape(batch, -1)
  # Flat, element i of a stack is element i + 1 of its predecessor's: compared contiguously,
  # 10x faster than the strided [..., :-1] and [..., 1:] slices.
  same = new[:, :-1] == old[:, 1:]
  first = step_types == ts.StepType.FIRST
  same[first] = new[first, :-1] == 0
  same[:, stack_size - 1::stack_size] = True  # The newest frames: nothing to match.
  return bool(same.all())


@gin.configurable
class FrameStackReplayBuffer(replay_buffer.ReplayBuffer):
  """Drop-in TFUniformReplayBuffer for Trajectory with [height, width, stack_size] observations.

  Each of the `batch_size` environments owns a ring of `max_length + stack_size - 1` steps:
  the `max_length` steps that windows are sampled from, as in TFUniformReplayBuffer, and the
  older steps whose frames the oldest stacks still need. Adds and reads hold one lock, so a
  prefetching dataset never sees a half-written step or a frame of an overwritten one.
  """

  def __init__(self, data_spec, batch_size, max_length=1000, stack_size=4):
    frame = frame_spec(data_spec, stack_size)
    if batch_size < 1 or max_length < 1:
      raise ValueError(f"FrameStackReplayBuffer needs batch_size and max_length >= 1, got "
                       f"{batch_size} and {max_length}")
    super().__init__(data_spec, capacity=batch_size * max_length)
    self._batch_size = batch_size
    self._max_length = max_length
    self._stack_size = stack_size
    self._ring_length = max_length + stack_size - 1
    self._table = table.Table(data_spec._replace(observation=frame),
                              batch_size * self._ring_length)
    # Id of the newest step of every environment (the number of adds - 1), as in TFUniform.
    self._last_id = tf.Variable(-1, dtype=tf.int64, name="last_id")
    # Eager CriticalSections share one mutex unless their shared_names differ.
    self._lock = tf.CriticalSection(shared_name=f"FrameStackReplayBuffer_{uuid.uuid4().hex}")

  def variables(self):
    """The buffer's variables, a method as in TFUniformReplayBuffer."""
    return self._table.variables() + [self._last_id]

  def as_dataset(self, sample_batch_size=None, num_steps=None, num_parallel_calls=None,
                 single_deterministic_pass=False):
    """`(Trajectory [sample_batch_size, num_steps, ...], BufferInfo)`, as TFUniformReplayBuffer.

    Samples are uniform over the windows of `num_steps` consecutive steps of one environment.
    `single_deterministic_pass` yields every window once instead: environment by environment,
    oldest first; don't add while iterating it.
    """
    return super().as_dataset(sample_batch_size, num_steps, num_parallel_calls,
                              single_deterministic_pass=single_deterministic_pass)

  def _num_frames(self):
    return tf.minimum((self._last_id + 1) * self._batch_size, self._capacity)

  def _add_batch(self, items):
    nest_utils.assert_same_structure(items, self._data_spec)
    items = tf.nest.map_structure(tf.convert_to_tensor, items)
    nest_utils.get_outer_rank(items, self._data_spec)
    # Checked outside the lock: an eager exception raised inside would hold it while it lives.
    with tf.control_dependencies([self._check_stacks(items)]):
      return self._lock.execute(lambda: self._write(items))

  def _check_stacks(self, items):
    """Asserts that the stacks of `items` are those its newest frames will be rebuilt into."""
    step_id = self._last_id + 1
    envs = tf.range(self._batch_size, dtype=tf.int64)
    older_ids = step_id + tf.range(1 - self._stack_size, 0, dtype=tf.int64)
    older_frames, older_types = self._read_frames(envs[:, None], older_ids)
    rebuilt = stack_frames(tf.concat([older_frames, items.observation[:, None, ..., -1]], 1),
                           tf.concat([older_types, items.step_type[:, None]], 1))
    return tf.debugging.Assert(
        tf.reduce_all(tf.equal(rebuilt, items.observation)), [_STACK_MISMATCH])

  def _write(self, items):
    """Stores the newest frame and the other fields of step `last_id + 1` of each environment."""
    step_id = self._last_id + 1
    rows = self._rows(tf.range(self._batch_size, dtype=tf.int64), step_id)
    write = self._table.write(rows, items._replace(observation=items.observation[..., -1]))
    with tf.control_dependencies([write]):
      return self._last_id.assign(step_id).value()

  def _get_next(self, sample_batch_size=None, num_steps=None, time_stacked=True):
    if not time_stacked:
      raise NotImplementedError("FrameStackReplayBuffer samples time-stacked windows only")
    return self._lock.execute(lambda: self._sample(sample_batch_size, num_steps))

  def _sample(self, sample_batch_size, num_steps):
    """Windows uniform over (environment, first step), with TFUniform's BufferInfo."""
    shape = [] if sample_batch_size is None else [sample_batch_size]
    low, high = self._window_starts(num_steps or 1)
    nonempty = tf.debugging.Assert(high > low, [
        "FrameStackReplayBuffer holds no window of num_steps steps yet; add before sampling"])
    with tf.control_dependencies([nonempty]):
      starts = tf.random.uniform(shape, low, high, dtype=tf.int64)
    envs = tf.random.uniform(shape, 0, self._batch_size, dtype=tf.int64)
    items, ids = self._read_windows(envs, starts, num_steps)
    probability = 1.0 / tf.cast((high - low) * self._batch_size, tf.float32)
    return items, BufferInfo(ids=ids, probabilities=tf.fill(shape, probability))

  def _as_dataset(self, sample_batch_size=None, num_steps=None, sequence_preprocess_fn=None,
                  num_parallel_calls=None):
    return tf.data.Dataset.counter().map(
        lambda _: self._get_next(sample_batch_size, num_steps),
        num_parallel_calls=num_parallel_calls)

  def _single_deterministic_pass_dataset(self, sample_batch_size=None, num_steps=None,
                                         sequence_preprocess_fn=None, num_parallel_calls=None):
    def windows(_):
      starts = tf.range(*self._window_starts(num_steps or 1))
      envs = tf.range(self._batch_size, dtype=tf.int64)
      return tf.data.Dataset.from_tensor_slices(
          (tf.repeat(envs, tf.size(starts)), tf.tile(starts, [self._batch_size])))

    def read(envs, starts):
      items, ids = self._lock.execute(lambda: self._read_windows(envs, starts, num_steps))
      return items, BufferInfo(ids=ids, probabilities=())

    dataset = tf.data.Dataset.range(1).flat_map(windows)
    if sample_batch_size is not None:
      dataset = dataset.batch(sample_batch_size)
    return dataset.map(read, num_parallel_calls=num_parallel_calls)

  def _gather_all(self):
    """Every held step as Trajectory [batch_size, steps, ...]: 4x the buffer's memory."""
    def read():
      low, high = self._window_starts(1)
      envs = tf.range(self._batch_size, dtype=tf.int64)
      return self._read(envs[:, None], tf.range(low, high)[None])

    return self._lock.execute(read)

  def _clear(self):
    return self._lock.execute(lambda: self._last_id.assign(-1).value())

  def _window_starts(self, num_steps):
    """[low, high) of the first step ids of the held windows of `num_steps` steps."""
    low = tf.maximum(self._last_id + 1 - self._max_length, 0)
    return low, tf.maximum(self._last_id + 2 - num_steps, low)

  def _rows(self, envs, ids):
    """Table rows of steps `ids` of environments `envs` (shapes broadcast together)."""
    return envs * self._ring_length + tf.math.floormod(ids, self._ring_length)

  def _read_windows(self, envs, starts, num_steps):
    """Trajectory [..., num_steps, ...] and step ids of windows; no time axis if num_steps=None."""
    if num_steps is None:
      return self._read(envs, starts), starts
    ids = starts[..., None] + tf.range(num_steps, dtype=tf.int64)
    return self._read(envs[..., None], ids), ids

  @tf.function(jit_compile=True)
  def _read(self, envs, ids):
    """Trajectory [..., ...] of steps `ids` of environments `envs`, stacks rebuilt.

    XLA fuses the frame gather with the move of the stack axis last, 4x faster than TF's
    uint8 transpose.
    """
    items = self._table.read(self._rows(envs, ids),
                             slots=self._table.slots._replace(observation=()))
    frame_ids = ids[..., None] + tf.range(1 - self._stack_size, 1, dtype=tf.int64)
    frames, step_types = self._read_frames(envs[..., None], frame_ids)
    return items._replace(observation=stack_frames(frames, step_types))

  def _read_frames(self, envs, ids):
    """Frames [..., H, W] and step types [...] of steps `ids` of environments `envs`."""
    slots = self._table.slots
    return self._table.read(self._rows(envs, ids), slots=(slots.observation, slots.step_type))
