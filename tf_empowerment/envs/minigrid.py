"""MiniGrid tasks (Chevalier-Boisvert et al. 2023) as flat float32 observations with the agent's
cell first, so that tabular bonuses can count positions.

Any registered `MiniGrid-*` id, e.g. MiniGrid-DoorKey-8x8-v0, MiniGrid-KeyCorridorS3R1-v0 or
MiniGrid-MultiRoom-N4-S5-v1: in minigrid 3.2 that id builds 4 rooms, while -v0 of the same name
builds 6 (minNumRooms = maxNumRooms = 6). Layouts are drawn anew at each reset from the env's
seeded generator. MiniGrid's own reward (1 - 0.9 step / max_steps at success, else 0), action
set and time limit (`max_steps`, a truncation) are kept.
"""
import os

import gin
import gymnasium
from gymnasium import spaces
import numpy as np

# minigrid imports pygame (for rendering only), whose import prints a banner on stdout.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# pylint: disable=g-import-not-at-top,g-bad-import-order
import minigrid  # registers the MiniGrid-* ids with gymnasium
from minigrid.core import constants
# pylint: enable=g-import-not-at-top,g-bad-import-order
from tf_empowerment.envs import minigrid_reach

PREFIX = "MiniGrid-"
OBSERVATIONS = ("one_hot", "flat")
NUM_DIRECTIONS = 4
# Per-channel sizes of a view cell's (object, colour, state) encoding.
CHANNEL_SIZES = (len(constants.OBJECT_TO_IDX), len(constants.COLOR_TO_IDX),
                 len(constants.STATE_TO_IDX))


def is_minigrid_id(env_id):
  """Whether `env_id` is a MiniGrid id registered with gymnasium."""
  return env_id.startswith(PREFIX) and env_id in gymnasium.registry


@gin.configurable
class MiniGridEnv(gymnasium.Wrapper):
  """A MiniGrid task with float32 observations [width * height + 4 + view]:

  the one-hot agent cell (index y * width + x), the one-hot direction (0 east, 1 south, 2 west,
  3 north), then the agent's 7 x 7 partial view (which shows what it carries at its own cell):
  with `observation` "one_hot" each view cell as one-hot object (11), colour (6) and state (3),
  [7 * 7 * 20]; with "flat" the raw integers scaled by each channel's largest value to [0, 1],
  [7 * 7 * 3]. With `empowerment_steps` n > 0 one more value ends it: the state's exact n-step
  empowerment in nats (minigrid_reach, by simulation), which MiniGridEmpowermentReward reads at
  n > 1 as the exact control of a learned estimate; give it to every config compared, so that
  their agents see the same inputs. Info holds `agent_x`, `agent_y`, `cell` and `reached_goal`
  (1 when the episode terminated with a positive reward: the goal, or in KeyCorridor the ball,
  was reached).
  """

  episode_info_keys = ("reached_goal",)

  def __init__(self, env_id, observation="one_hot", empowerment_steps=0):
    if not is_minigrid_id(env_id):
      raise ValueError(f"MiniGridEnv.env_id must be a registered '{PREFIX}*' id, got {env_id!r}")
    if observation not in OBSERVATIONS:
      raise ValueError(f"MiniGridEnv.observation must be one of {OBSERVATIONS}, "
                       f"got {observation!r}")
    if empowerment_steps < 0:
      raise ValueError(f"MiniGridEnv.empowerment_steps must be >= 0, got {empowerment_steps}")
    super().__init__(gymnasium.make(env_id))
    self._observation = observation
    self._empowerment_steps = empowerment_steps
    grid = self.env.unwrapped
    self.width, self.height = grid.width, grid.height
    view_shape = self.env.observation_space["image"].shape
    view_size = int(np.prod(view_shape[:2])) * (
        sum(CHANNEL_SIZES) if observation == "one_hot" else len(CHANNEL_SIZES))
    high = np.ones(self.num_cells + NUM_DIRECTIONS + view_size, np.float32)
    if empowerment_steps:
      high = np.append(high, np.float32(empowerment_steps * np.log(self.action_space.n)))
    self.observation_space = spaces.Box(np.zeros_like(high), high, dtype=np.float32)
    self._eyes = [np.eye(size, dtype=np.float32) for size in CHANNEL_SIZES]
    self._scale = 1.0 / (np.array(CHANNEL_SIZES, np.float32) - 1.0)

  @property
  def num_cells(self):
    """Cells of the grid, width * height: `TabularCountBonus.num_cells` for this task."""
    return self.width * self.height

  @property
  def max_steps(self):
    """MiniGrid's time limit of an episode, in steps."""
    return self.env.unwrapped.max_steps

  def _encode(self, observation):
    x, y = (int(coordinate) for coordinate in self.env.unwrapped.agent_pos)
    position = np.zeros(self.num_cells + NUM_DIRECTIONS, np.float32)
    position[y * self.width + x] = 1.0
    position[self.num_cells + int(self.env.unwrapped.agent_dir)] = 1.0
    view = observation["image"]  # uint8 [7, 7, 3]: object, colour, state
    if self._observation == "one_hot":
      encoded = [eye[view[..., channel]] for channel, eye in enumerate(self._eyes)]
      view = np.concatenate(encoded, axis=-1)
    else:
      view = view * self._scale
    parts = [position, view.ravel()]
    if self._empowerment_steps:
      parts.append([minigrid_reach.empowerment(self.env, self._empowerment_steps)])
    return np.concatenate(parts, dtype=np.float32), {"agent_x": x, "agent_y": y,
                                                      "cell": y * self.width + x}

  def reset(self, *, seed=None, options=None):
    observation, info = self.env.reset(seed=seed, options=options)
    observation, position = self._encode(observation)
    return observation, {**info, **position, "reached_goal": 0.0}

  def step(self, action):
    observation, reward, terminated, truncated, info = self.env.step(action)
    observation, position = self._encode(observation)
    reached_goal = float(terminated and reward > 0)
    return observation, reward, terminated, truncated, {**info, **position,
                                                        "reached_goal": reached_goal}
