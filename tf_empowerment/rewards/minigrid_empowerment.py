"""Exact 1-step empowerment of MiniGrid states, read from the agent's observation.

MiniGrid is deterministic, so the 1-step empowerment of a state is log of the number of distinct
states its 7 actions lead to. Turning left, turning right and a no-op (`done`, or any action
that changes nothing) always give three; `forward`, `pickup`, `drop` and `toggle` each add one
when they change something, and that is decided by the cell in front of the agent and what it
carries, both in its 7x7 view (MiniGridEnv's one-hot observation). This is the exact control of
a learned estimate on tasks that draw a new layout each episode, where no table of values can be
computed in advance (ExactEmpowermentReward's gridworlds); tests check it against simulation.
At n > 1 steps the view no longer decides it, and the value is read from the observation's last
element, where MiniGridEnv puts it by simulation when its `empowerment_steps` is n.
"""
import itertools

import gin
from minigrid.core import constants
import tensorflow as tf

from tf_empowerment.envs import minigrid
from tf_empowerment.rewards import empowerment_reward

NUM_ACTIONS = 7
_OBJECT = constants.OBJECT_TO_IDX
_DOOR_OPEN, _DOOR_LOCKED = constants.STATE_TO_IDX["open"], constants.STATE_TO_IDX["locked"]
_OVERLAPPABLE = [_OBJECT[name] for name in ("empty", "floor", "goal", "lava")]
_CARRIABLE = [_OBJECT[name] for name in ("key", "ball", "box")]
_VIEW = 7  # cells per side of MiniGrid's default agent view
_FRONT, _OWN = (_VIEW // 2, _VIEW - 2), (_VIEW // 2, _VIEW - 1)  # (x, y): the agent faces -y


def _is_one_of(indices, values):
  return tf.reduce_any(indices[..., None] == tf.constant(values, tf.int64), axis=-1)


@gin.configurable
class MiniGridEmpowermentReward(empowerment_reward.ComputedEmpowermentReward):
  """Exact 1-step empowerment (nats) of MiniGridEnv one-hot observations as a reward.

  `num_cells`: the task's grid cells (MiniGridEnv.num_cells), which precede the direction and
  the view in each observation. `n_steps` > 1 reads n-step empowerment from the observation's
  last element (MiniGridEnv.empowerment_steps = n_steps). `relative` divides by log 7^n, as
  EmpowermentReward's. Nothing is learned.
  """

  def __init__(self, state_spec, action_spec, num_envs, num_cells=gin.REQUIRED, n_steps=1,
               relative=False, beta=0.1, normaliser=None, at_collection=False, num_channels=1,
               centred=False, offset=0.0, name="minigrid_empowerment_reward"):
    super().__init__(state_spec, num_envs, NUM_ACTIONS ** n_steps, relative, beta, normaliser,
                     at_collection=at_collection, num_channels=num_channels, centred=centred,
                     offset=offset, name=name)
    if n_steps < 1:
      raise ValueError(f"MiniGridEmpowermentReward.n_steps must be >= 1, got {n_steps}")
    num_actions = int(action_spec.maximum - action_spec.minimum) + 1
    channels = sum(minigrid.CHANNEL_SIZES)
    expected = num_cells + minigrid.NUM_DIRECTIONS + _VIEW * _VIEW * channels + (n_steps > 1)
    if num_actions != NUM_ACTIONS or state_spec.shape.as_list() != [expected]:
      simulated = (f" ending in {n_steps}-step empowerment (MiniGridEnv.empowerment_steps = "
                   f"{n_steps})" if n_steps > 1 else "")
      raise ValueError(
          f"MiniGridEmpowermentReward wants MiniGrid's {NUM_ACTIONS} actions and one-hot "
          f"observations [{expected}]{simulated} (num_cells {num_cells}), got {num_actions} "
          f"actions and states {state_spec.shape}")
    self._n_steps = n_steps
    self._view_start = num_cells + minigrid.NUM_DIRECTIONS
    self._channels = channels
    self._bounds = [0] + list(itertools.accumulate(minigrid.CHANNEL_SIZES))

  def state_values(self, states):
    """Exact n-step empowerment [batch] (nats) of observations [batch, D]."""
    if self._n_steps > 1:
      return states[:, -1]
    view = tf.reshape(states[:, self._view_start:], [-1, _VIEW, _VIEW, self._channels])
    front_object, front_colour, front_state = self._decode(view[:, _FRONT[0], _FRONT[1]])
    carried, carried_colour, _ = self._decode(view[:, _OWN[0], _OWN[1]])
    door = front_object == _OBJECT["door"]
    carrying = _is_one_of(carried, _CARRIABLE)
    forward = _is_one_of(front_object, _OVERLAPPABLE) | (door & (front_state == _DOOR_OPEN))
    unlocks = (carried == _OBJECT["key"]) & (carried_colour == front_colour)
    toggle = (door & ((front_state != _DOOR_LOCKED) | unlocks)) | (front_object == _OBJECT["box"])
    pickup = _is_one_of(front_object, _CARRIABLE) & ~carrying
    drop = carrying & (front_object == _OBJECT["empty"])
    changes = [tf.cast(x, tf.float32) for x in (forward, toggle, pickup, drop)]
    return tf.math.log(3.0 + tf.add_n(changes))

  def _decode(self, cell):
    """(object, colour, state) indices [batch] of one view cell's one-hot encoding."""
    return tuple(tf.argmax(cell[:, start:end], axis=-1)
                 for start, end in zip(self._bounds[:-1], self._bounds[1:]))
