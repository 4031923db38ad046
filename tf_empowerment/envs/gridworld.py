"""Gridworlds from text layouts: exact transition tables for empowerment, and a gymnasium env.

Layout characters: '#' wall, '.' free, 'S' start (exactly one), 'G' goal (zero or more; reward 1
and the episode ends there). Cells are (row, col), 0-based; the grid's border acts as a wall.
Goals are ordinary cells in the transition tables: empowerment is a property of the dynamics.
"""
import os

import gin
import gymnasium
from gymnasium import spaces
import numpy as np

ACTIONS = ("stay", "north", "south", "east", "west")
ACTION_DELTAS = ((0, 0), (-1, 0), (1, 0), (0, 1), (0, -1))
OBSERVATIONS = ("one_hot", "coordinates", "image")
LAYOUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layouts")
_LAYOUT_CHARACTERS = "#.SG"


class LayoutError(ValueError):
  """A malformed or missing gridworld layout; the message names the problem and where."""


def bundled_layouts():
  """Names of the layouts shipped in tf_empowerment/envs/layouts/."""
  return sorted(name[:-len(".txt")] for name in os.listdir(LAYOUT_DIR) if name.endswith(".txt"))


class GridLayout:
  """Walls, start and goals of a gridworld; states index its free cells in row-major order.

  Build with `from_text` or `load`. `walls` is bool [rows, cols]; `successors[s, a]` is the
  state that action `a` leads to from state `s` without slip (bumping a wall stays put).
  """

  def __init__(self, walls, start, goals):
    self.walls = np.array(walls, bool)
    self.walls.flags.writeable = False
    self.start = _as_cell(start)
    self.goals = tuple(_as_cell(goal) for goal in goals)
    self.free_cells = tuple((int(r), int(c)) for r, c in zip(*np.nonzero(~self.walls)))
    self._index = {cell: i for i, cell in enumerate(self.free_cells)}
    self.successors = np.array([[self._index[self._move(cell, delta)] for delta in ACTION_DELTAS]
                                for cell in self.free_cells], np.int64)

  @property
  def shape(self):
    return self.walls.shape

  @property
  def num_states(self):
    return len(self.free_cells)

  @property
  def doorways(self):
    """State indices of the one-cell passages: free cells walled (or bounded) on both sides
    along one axis, such as the doorways between rooms."""
    blocked = self.successors == np.arange(self.num_states)[:, None]  # [state, action]
    north, south, east, west = (ACTIONS.index(name) for name in ("north", "south", "east", "west"))
    passages = (blocked[:, north] & blocked[:, south]) | (blocked[:, east] & blocked[:, west])
    return tuple(int(index) for index in np.nonzero(passages)[0])

  def state_index(self, cell):
    """The state index of a free (row, col) cell."""
    try:
      return self._index[tuple(cell)]
    except KeyError:
      raise ValueError(f"{tuple(cell)} is not a free cell of this layout") from None

  def cell(self, index):
    """The (row, col) cell of a state index."""
    return self.free_cells[index]

  def scaled_cell(self, cell):
    """The (row, col) of a cell scaled to [0, 1] over the grid: a position observation."""
    rows, cols = self.shape
    return np.array([cell[0] / max(rows - 1, 1), cell[1] / max(cols - 1, 1)], np.float32)

  def _move(self, cell, delta):
    row, col = cell[0] + delta[0], cell[1] + delta[1]
    rows, cols = self.shape
    if 0 <= row < rows and 0 <= col < cols and not self.walls[row, col]:
      return row, col
    return cell

  @classmethod
  def from_text(cls, text):
    """Parses a layout; raises LayoutError naming the first problem and its row and column."""
    rows = [line.strip() for line in text.strip().splitlines()]
    if not rows:
      raise LayoutError("empty layout")
    for r, row in enumerate(rows):
      if len(row) != len(rows[0]):
        raise LayoutError(f"ragged rows: row {r} has {len(row)} columns, row 0 has {len(rows[0])}")
      for c, char in enumerate(row):
        if char not in _LAYOUT_CHARACTERS:
          raise LayoutError(f"unknown character {char!r} at row {r} col {c} "
                            "(expected '#', '.', 'S' or 'G')")
    grid = np.array([list(row) for row in rows])
    starts = list(zip(*np.nonzero(grid == "S")))
    if not starts:
      raise LayoutError("no start 'S' in layout")
    if len(starts) > 1:
      (r0, c0), (r1, c1) = starts[:2]
      raise LayoutError(f"more than one start 'S': row {r0} col {c0} and row {r1} col {c1}")
    return cls(grid == "#", starts[0], zip(*np.nonzero(grid == "G")))

  @classmethod
  def load(cls, name_or_path):
    """Loads a .txt layout file, or a bundled layout by name (see `bundled_layouts()`)."""
    path = name_or_path
    if not os.path.isfile(path):
      path = os.path.join(LAYOUT_DIR, f"{name_or_path}.txt")
      if not os.path.isfile(path):
        raise LayoutError(f"no layout {name_or_path!r}: not a file nor a bundled layout "
                          f"({', '.join(bundled_layouts())})")
    with open(path) as layout_file:
      text = layout_file.read()
    try:
      return cls.from_text(text)
    except LayoutError as error:
      raise LayoutError(f"{name_or_path}: {error}") from None


def _as_cell(cell):
  row, col = cell
  return int(row), int(col)


def _check_slip(slip, name):
  if not 0.0 <= slip <= 1.0:
    raise ValueError(f"{name} must be in [0, 1], got {slip}")


def transition_table(layout, slip=0.0):
  """P(s' | s, a) as float64 [num_states, num_actions, num_states].

  With probability `slip` a uniformly random other action is executed instead of `a`.
  """
  _check_slip(slip, "slip")
  num_actions = len(ACTIONS)
  executed = np.full((num_actions, num_actions), slip / (num_actions - 1))
  np.fill_diagonal(executed, 1.0 - slip)  # [intended, executed]
  arrivals = np.eye(layout.num_states)[layout.successors]  # [state, executed, next state]
  return np.einsum("ab,sbt->sat", executed, arrivals)


def n_step_transition_table(layout, n, slip=0.0):
  """P(s_n | s, a_1..a_n) as float64 [num_states, num_actions**n, num_states].

  Sequence index = base-num_actions digits of (a_1, ..., a_n), a_1 most significant.
  """
  if n < 1:
    raise ValueError(f"n must be >= 1, got {n}")
  step = transition_table(layout, slip)
  table = step
  for _ in range(n - 1):
    table = np.tensordot(table, step, axes=(2, 0)).reshape(layout.num_states, -1,
                                                           layout.num_states)
  return table


@gin.configurable
class GridworldEnv(gymnasium.Env):
  """A gridworld as a gymnasium env with actions `ACTIONS`.

  Observations: "one_hot" float32 [num_states]; "coordinates" float32 [2], (row, col) scaled to
  [0, 1]; "image" uint8 [rows, cols, 3], planes walls, agent, goals at 0/255. Reaching a goal
  gives reward 1 and terminates; `max_episode_steps` truncates. Info holds `state`,
  `reached_goal` (0/1) and `distinct_cells` visited this episode; `visit_counts` accumulates
  visits per cell over all episodes.
  """

  metadata = {"render_modes": []}
  episode_info_keys = ("reached_goal", "distinct_cells")

  def __init__(self, layout, slip=0.0, observation="one_hot", max_episode_steps=100):
    _check_slip(slip, "GridworldEnv.slip")
    if observation not in OBSERVATIONS:
      raise ValueError(f"GridworldEnv.observation must be one of {OBSERVATIONS}, "
                       f"got {observation!r}")
    if max_episode_steps < 1:
      raise ValueError(f"GridworldEnv.max_episode_steps must be >= 1, got {max_episode_steps}")
    self.layout = layout if isinstance(layout, GridLayout) else GridLayout.load(layout)
    self._slip = slip
    self._observation = observation
    self._max_episode_steps = max_episode_steps
    num_states = self.layout.num_states
    self._cells = np.array(self.layout.free_cells).reshape(num_states, 2)
    self._is_goal = np.zeros(num_states, bool)
    self._is_goal[[self.layout.state_index(goal) for goal in self.layout.goals]] = True
    self._visits = np.zeros(num_states, np.int64)
    self._visited = np.zeros(num_states, bool)
    self._background = np.zeros(self.layout.shape + (3,), np.uint8)  # walls and goals planes
    self._background[..., 0] = 255 * self.layout.walls
    for goal in self.layout.goals:
      self._background[goal + (2,)] = 255
    self.action_space = spaces.Discrete(len(ACTIONS))
    self.observation_space = self._observation_space()
    self._state = self.layout.state_index(self.layout.start)
    self._steps = self._distinct = 0

  def _observation_space(self):
    if self._observation == "one_hot":
      return spaces.Box(0.0, 1.0, (self.layout.num_states,), np.float32)
    if self._observation == "coordinates":
      return spaces.Box(0.0, 1.0, (2,), np.float32)
    return spaces.Box(0, 255, self._background.shape, np.uint8)

  def _observe(self):
    return self.observation_of(self._state)

  @property
  def slip(self):
    """Probability that a uniformly random other action is executed."""
    return self._slip

  def observation_of(self, state):
    """The observation the agent gets in state index `state` (e.g. for per-cell value maps)."""
    if self._observation == "one_hot":
      observation = np.zeros(self.layout.num_states, np.float32)
      observation[state] = 1.0
      return observation
    row, col = self._cells[state]
    if self._observation == "coordinates":
      return self.layout.scaled_cell((row, col))
    observation = self._background.copy()
    observation[row, col, 1] = 255
    return observation

  @property
  def visit_counts(self):
    """Visits per cell over all episodes so far, int64 [rows, cols] (0 on walls)."""
    counts = np.zeros(self.layout.shape, np.int64)
    counts[self._cells[:, 0], self._cells[:, 1]] = self._visits
    return counts

  def _enter(self, state):
    self._state = state
    self._visits[state] += 1
    if not self._visited[state]:
      self._visited[state] = True
      self._distinct += 1

  def _info(self):
    return {"state": int(self._state), "reached_goal": int(self._is_goal[self._state]),
            "distinct_cells": self._distinct}

  def reset(self, *, seed=None, options=None):
    super().reset(seed=seed)
    self._visited[:] = False
    self._steps = self._distinct = 0
    self._enter(self.layout.state_index(self.layout.start))
    return self._observe(), self._info()

  def step(self, action):
    action = int(action)
    if self._slip and self.np_random.random() < self._slip:
      action = (action + self.np_random.integers(1, len(ACTIONS))) % len(ACTIONS)
    self._enter(self.layout.successors[self._state, action])
    self._steps += 1
    reached_goal = bool(self._is_goal[self._state])
    truncated = self._steps >= self._max_episode_steps
    return self._observe(), float(reached_goal), reached_goal, truncated, self._info()
