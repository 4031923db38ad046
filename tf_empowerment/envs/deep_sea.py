"""DeepSea (Osband et al. 2019; bsuite), a gymnasium env where dithering exploration fails.

An N x N grid: the agent starts in the top-left cell and descends one row per step, so every
episode lasts N steps. In each cell a coin flip, fixed by `mapping_seed`, decides which of the
two actions moves right and which left. Moving right costs move_cost / N; moving right from the
bottom-right cell pays +1. Only N rights in a row get there: uniformly random actions do with
probability 2^-N. As in bsuite, the observation after the last step is all zeros.
"""
import gin
import gymnasium
from gymnasium import spaces
import numpy as np


@gin.configurable
class DeepSeaEnv(gymnasium.Env):
  """DeepSea with one-hot observations float32 [size * size] of the (row, col) cell.

  Info holds `row`, `column` and `reached_goal` (0/1); no count of cells visited, as every
  episode visits exactly N, one per row.
  """

  metadata = {"render_modes": []}
  episode_info_keys = ("reached_goal",)

  def __init__(self, size, mapping_seed=0, move_cost=0.01):
    if size < 2:
      raise ValueError(f"DeepSeaEnv.size must be >= 2, got {size}")
    if move_cost < 0:
      raise ValueError(f"DeepSeaEnv.move_cost must be non-negative, got {move_cost}")
    self.size = size
    self._move_cost = move_cost
    # right_action[row, col]: the action (0 or 1) that moves right in that cell.
    self.right_action = np.random.default_rng(mapping_seed).integers(0, 2, (size, size))
    self.action_space = spaces.Discrete(2)
    self.observation_space = spaces.Box(0.0, 1.0, (size * size,), np.float32)
    self._row = self._column = 0
    self._reached_goal = False

  def observation_of(self, row, column):
    """The observation of a cell; all zeros for row == size (after the last step)."""
    observation = np.zeros(self.size * self.size, np.float32)
    if row < self.size:
      observation[row * self.size + column] = 1.0
    return observation

  def _info(self):
    return {"row": self._row, "column": self._column, "reached_goal": int(self._reached_goal)}

  def reset(self, *, seed=None, options=None):
    super().reset(seed=seed)
    self._row = self._column = 0
    self._reached_goal = False
    return self.observation_of(0, 0), self._info()

  def step(self, action):
    moves_right = int(action) == self.right_action[self._row, self._column]
    self._reached_goal = bool(moves_right and self._column == self.size - 1)
    reward = float(self._reached_goal) - moves_right * self._move_cost / self.size
    self._column = min(self._column + 1, self.size - 1) if moves_right else max(self._column - 1, 0)
    self._row += 1
    terminated = self._row == self.size
    return self.observation_of(self._row, self._column), reward, terminated, False, self._info()
