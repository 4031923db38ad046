"""Lifetime exploration counters of the envs of a run, for exploration benchmarks: how many
distinct states they have entered together and at which agent step one first reached a goal."""
import gin
import gymnasium


class _Ledger:
  """What the copies of one env explored together: distinct states, steps, the first goal."""

  def __init__(self):
    self.states = set()
    self.steps = 0
    self.first_goal_step = 0


@gin.configurable
class ExplorationCounters:
  """Wraps each copy of an env (`load_environment.gym_wrappers = [@ExplorationCounters()]`, one
  instance per load_environment call) in counters that all copies share.

  A state is the tuple of the info entries `state_keys` (gridworld: ("state",); DeepSea:
  ("row", "column")). `distinct_cells_total` counts the distinct states that the copies' resets
  and steps entered, but not those a terminating step enters unless `count_terminal_states` (a
  gridworld's goal is a cell; DeepSea's row below the grid is none). Steps are counted as the
  trainer counts agent steps: every step and every reset after a copy's first, summed over the
  copies. `first_goal_step` is the 1-based such step at which some copy's info["reached_goal"]
  was first 1, and 0 before: as an episode metric, its maximum over a report's episodes
  (`episode_max/first_goal_step`) is exact.
  """

  episode_info_keys = ("distinct_cells_total", "first_goal_step")

  def __init__(self, state_keys, count_terminal_states=True):
    if not state_keys:
      raise ValueError("ExplorationCounters.state_keys must name the info entries of a state")
    self._state_keys = tuple(state_keys)
    self._count_terminal_states = count_terminal_states
    self._ledger = _Ledger()

  def __call__(self, env):
    return _CountingWrapper(env, self._state_keys, self._count_terminal_states, self._ledger)


class _CountingWrapper(gymnasium.Wrapper):
  """One copy's view of the shared ledger; adds its counters to the copy's info."""

  def __init__(self, env, state_keys, count_terminal_states, ledger):
    super().__init__(env)
    self._state_keys = state_keys
    self._count_terminal_states = count_terminal_states
    self._ledger = ledger
    self._started = False

  def _counted(self, info, enters_a_state):
    missing = [key for key in self._state_keys if key not in info]
    if missing:
      raise ValueError(f"ExplorationCounters.state_keys {missing} are not in the env's info "
                       f"(it has {sorted(info)})")
    if enters_a_state:
      self._ledger.states.add(tuple(info[key] for key in self._state_keys))
    return {**info, "distinct_cells_total": len(self._ledger.states),
            "first_goal_step": self._ledger.first_goal_step}

  def reset(self, *, seed=None, options=None):
    observation, info = self.env.reset(seed=seed, options=options)
    self._ledger.steps += self._started
    self._started = True
    return observation, self._counted(info, True)

  def step(self, action):
    observation, reward, terminated, truncated, info = self.env.step(action)
    self._ledger.steps += 1
    if info["reached_goal"] and not self._ledger.first_goal_step:
      self._ledger.first_goal_step = self._ledger.steps
    return (observation, reward, terminated, truncated,
            self._counted(info, self._count_terminal_states or not terminated))
