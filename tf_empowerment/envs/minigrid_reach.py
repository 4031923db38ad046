"""How many distinct states n actions can reach from a MiniGrid state, by simulation.

MiniGrid is deterministic, so the channel from a sequence of n actions to the state it leads to
is a function, and its capacity, the state's exact n-step empowerment, is log of that number.
The states are expanded level by level and merged where equal, so a level costs (its distinct
states) x 7 steps of the real dynamics rather than 7^n. This is the exact control on tasks
that draw a new layout each episode: at n > 1 it needs cells the agent's view does not show (the
one behind it is two turns and a step away), so it cannot be read off the observation.
"""
import math


class _Simulator:
  """Saves, restores and names the part of a MiniGridEnv's state that its `step` can change:
  the agent's cell, direction and load, what each cell holds (pickup, drop and opening a box
  replace it) and every door's open and locked flags. The step counter is restored too, so the
  time limit plays no part: empowerment here is the dynamics' own."""

  def __init__(self, env):
    self.env = env.unwrapped
    self._doors = [cell for cell in self.env.grid.grid if cell is not None and cell.type == "door"]

  def save(self):
    env = self.env
    return (tuple(int(x) for x in env.agent_pos), int(env.agent_dir), env.carrying,
            env.step_count, list(env.grid.grid),
            tuple((door.is_open, door.is_locked) for door in self._doors))

  def restore(self, state):
    env = self.env
    env.agent_pos, env.agent_dir, env.carrying, env.step_count, cells, doors = state
    env.grid.grid[:] = cells
    for door, (is_open, is_locked) in zip(self._doors, doors):
      door.is_open, door.is_locked = is_open, is_locked

  @staticmethod
  def key(state, terminated):
    """A hashable name of a saved state: equal exactly when the states are."""
    position, direction, carrying, _, cells, doors = state
    return (terminated, position, direction, id(carrying), tuple(map(id, cells)), doors)


def num_reachable_states(env, n_steps):
  """The number of distinct states n_steps actions lead to from `env`'s current state, which is
  left as it was. An episode's end (goal or lava) is absorbing: later actions keep the state."""
  if n_steps < 1:
    raise ValueError(f"n_steps must be >= 1, got {n_steps}")
  simulator = _Simulator(env)
  grid_env = simulator.env
  start = simulator.save()
  # Only the dynamics are wanted: skip rendering the agent's view, most of a step's cost.
  grid_env.gen_obs = lambda: None
  try:
    level = {simulator.key(start, False): (start, False)}
    for _ in range(n_steps):
      next_level = {}
      for key, (state, terminated) in level.items():
        if terminated:
          next_level[key] = (state, True)
          continue
        for action in range(grid_env.action_space.n):
          simulator.restore(state)
          _, _, terminated, _, _ = grid_env.step(action)
          reached = simulator.save()
          next_level.setdefault(simulator.key(reached, terminated), (reached, terminated))
      level = next_level
  finally:
    del grid_env.gen_obs
    simulator.restore(start)
  return len(level)


def empowerment(env, n_steps):
  """Exact n-step empowerment (nats) of `env`'s current state: log of the states it can reach."""
  return math.log(num_reachable_states(env, n_steps))
