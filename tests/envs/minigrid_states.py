"""The whole state of a MiniGrid env, for tests that compare states reached by simulation."""


def full_state(env):
  """Agent cell, direction, what it carries and every cell's encoding: equal exactly when the
  env's states are."""
  grid = env.unwrapped
  carried = None if grid.carrying is None else tuple(grid.carrying.encode())
  return (tuple(int(x) for x in grid.agent_pos), int(grid.agent_dir), carried,
          grid.grid.encode().tobytes())
