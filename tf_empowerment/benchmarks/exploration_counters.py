"""Lifetime exploration counters of an env for exploration benchmarks: how many distinct states
it has entered and when it first reached a goal."""
import gin
import gymnasium


@gin.configurable
class ExplorationCounters(gymnasium.Wrapper):
  """Adds the env's lifetime `distinct_cells_total` and `first_goal_step` to its info.

  A state is the tuple of the info entries `state_keys` (gridworld: ("state",); DeepSea:
  ("row", "column")). `distinct_cells_total` counts the distinct states that resets and steps
  entered, but not those a terminating step enters unless `count_terminal_states` (a gridworld's
  goal is a cell; DeepSea's row below the grid is none). `first_goal_step` is the 1-based
  lifetime step at which info["reached_goal"] was first 1, and 0 before: as an episode metric,
  its maximum over a report's episodes (`episode_max/first_goal_step`) is exact.
  """

  episode_info_keys = ("distinct_cells_total", "first_goal_step")

  def __init__(self, env, state_keys, count_terminal_states=True):
    if not state_keys:
      raise ValueError("ExplorationCounters.state_keys must name the info entries of a state")
    super().__init__(env)
    self._state_keys = tuple(state_keys)
    self._count_terminal_states = count_terminal_states
    self._states = set()
    self._steps = self._first_goal_step = 0

  def _counted(self, info, enters_a_state):
    missing = [key for key in self._state_keys if key not in info]
    if missing:
      raise ValueError(f"ExplorationCounters.state_keys {missing} are not in the env's info "
                       f"(it has {sorted(info)})")
    if enters_a_state:
      self._states.add(tuple(info[key] for key in self._state_keys))
    return {**info, "distinct_cells_total": len(self._states),
            "first_goal_step": self._first_goal_step}

  def reset(self, *, seed=None, options=None):
    observation, info = self.env.reset(seed=seed, options=options)
    return observation, self._counted(info, True)

  def step(self, action):
    observation, reward, terminated, truncated, info = self.env.step(action)
    self._steps += 1
    if info["reached_goal"] and not self._first_goal_step:
      self._first_goal_step = self._steps
    return (observation, reward, terminated, truncated,
            self._counted(info, self._count_terminal_states or not terminated))
