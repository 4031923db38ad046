"""What one item of the replay table holds, as the writer, the server and the sampler share it.

An actor's trajectory writer appends each step's columns once; an item references the last
`item_length` steps of them, so overlapping windows share storage. StepWindows appends whole
steps. FrameWindows, for a run whose replay stores each frame once
(`create_replay_buffer.buffer_fn = @FrameStackReplayBuffer`), appends only the newest frame
[H, W] of each observation stack [H, W, S], and its items reach S - 1 steps further back for
the frames and step types the oldest stacks are rebuilt from at sampling, by the rule
FrameStackReplayBuffer uses (replay.frame_stack).
"""
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tf_empowerment.replay import frame_stack

_STACK_MISMATCH = (
    "ReplayWriter: an observation stack differs from the frames of its environment's previous "
    "steps; replay that stores frames once (create_replay_buffer.buffer_fn = "
    "@FrameStackReplayBuffer) needs each environment's steps in order, episodes starting with a "
    "FIRST step whose older frames are zero (ALE's reset stack)")


class StepWindows:
  """Items that are windows of `sequence_length` whole steps of `trajectory_spec`."""

  def __init__(self, trajectory_spec, sequence_length):
    self.trajectory_spec = trajectory_spec
    self.sequence_length = sequence_length

  @property
  def stored_spec(self):
    """The spec of the columns the writer appends for one step."""
    return self.trajectory_spec

  @property
  def item_length(self):
    """The steps an item references."""
    return self.sequence_length

  def signature(self):
    """The replay table's signature: `item_length` steps of `stored_spec`."""
    return tensor_spec.add_outer_dim(tensor_spec.from_spec(self.stored_spec), self.item_length)

  def stored(self, step):
    """What the writer appends of `step` (a nest of `trajectory_spec`, numpy or TF)."""
    return step

  def windows(self, items, info):
    """(Trajectory [batch, sequence_length, ...], info) of sampled items [batch, item_length]."""
    return items, info

  def stack_check(self, num_envs):  # pylint: disable=unused-argument
    """The writer's check of each batched step [num_envs] (numpy): a function that raises
    ValueError if the step cannot be stored (whole steps: any can)."""
    return lambda step: None


class FrameWindows(StepWindows):
  """Windows of `sequence_length` steps whose observations [H, W, stack_size] are stored as
  their newest frames [H, W]; each item also references the `stack_size - 1` steps before
  its window, for the frames and step types its oldest stacks are rebuilt from."""

  def __init__(self, trajectory_spec, sequence_length, stack_size):
    super().__init__(trajectory_spec, sequence_length)
    self.stack_size = stack_size
    self._frame_spec = frame_stack.frame_spec(trajectory_spec, stack_size)

  @property
  def stored_spec(self):
    return self.trajectory_spec._replace(observation=self._frame_spec)

  @property
  def item_length(self):
    return self.sequence_length + self.stack_size - 1

  def stored(self, step):
    return step._replace(observation=step.observation[..., -1])

  def windows(self, items, info):
    """Rebuilds the stacks [batch, sequence_length, H, W, S] from the items' frames, zeros
    before an episode's FIRST step, and keeps the last `sequence_length` steps of the rest."""
    recent = lambda x: x[:, self.stack_size - 1:]
    observation = frame_stack.stack_windows(items.observation, items.step_type, self.stack_size)
    items = tf.nest.map_structure(recent, items._replace(observation=()))
    return items._replace(observation=observation), tf.nest.map_structure(recent, info)

  def stack_check(self, num_envs):
    return _StackCheck(num_envs, self._frame_spec, self.stack_size)


class _StackCheck:
  """Raises ValueError unless each batched step's stacks [num_envs, H, W, S] (numpy) are those
  the sampler will rebuild from the newest frames, by frame_stack.stacks_follow the last ones.

  In numpy, in the writer: TensorFlow's uint8 ops would cost 0.15-0.3 ms a step in the actor's
  driver loop. Before an environment's first step the last stack is zeros, so a first step is
  one whose older frames are zero, as an actor's environments start (with a FIRST step).
  """

  def __init__(self, num_envs, frame_spec, stack_size):
    shape = [num_envs] + frame_spec.shape.as_list() + [stack_size]
    self._stacks = np.zeros(shape, frame_spec.dtype.as_numpy_dtype)

  def __call__(self, step):
    if not frame_stack.stacks_follow(self._stacks, step.observation, step.step_type):
      raise ValueError(_STACK_MISMATCH)
    self._stacks = step.observation.copy()


def of_run(settings, trajectory_spec, sequence_length):
  """The items of a run of `settings` (distributed.settings.RunSettings): frame windows when
  its replay stores each frame once, whole-step windows otherwise."""
  if settings.frame_stack_size is None:
    return StepWindows(trajectory_spec, sequence_length)
  return FrameWindows(trajectory_spec, sequence_length, settings.frame_stack_size)
