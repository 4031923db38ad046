"""The whole state of a MiniGrid env, for tests that compare states reached by simulation, and
random walks with their exact empowerment."""
import numpy as np

from tf_empowerment.envs import minigrid_reach


def full_state(env):
  """Agent cell, direction, what it carries and every cell's encoding: equal exactly when the
  env's states are."""
  grid = env.unwrapped
  carried = None if grid.carrying is None else tuple(grid.carrying.encode())
  return (tuple(int(x) for x in grid.agent_pos), int(grid.agent_dir), carried,
          grid.grid.encode().tobytes())


def random_walk(env, seed, num_steps, n_steps=1):
  """A random walk of num_steps over episodes of a MiniGridEnv, toggling often: (observations,
  actions, next observations, exact n-step empowerment of each observation and of each next
  one, whether the agent's cell and direction stayed), each [num_steps, ...]."""
  rng = np.random.default_rng(seed)
  observation, _ = env.reset(seed=seed)
  steps = []
  for _ in range(num_steps):
    before = (minigrid_reach.empowerment(env, n_steps), tuple(env.unwrapped.agent_pos),
              env.unwrapped.agent_dir)
    action = rng.choice(7, p=[0.2, 0.2, 0.3, 0.05, 0.05, 0.15, 0.05])
    next_observation, _, terminated, truncated, _ = env.step(action)
    after = (minigrid_reach.empowerment(env, n_steps), tuple(env.unwrapped.agent_pos),
             env.unwrapped.agent_dir)
    steps.append((observation, action, next_observation, before[0], after[0],
                  before[1:] == after[1:]))
    observation = next_observation
    if terminated or truncated:
      observation, _ = env.reset(seed=seed + len(steps))
  return [np.array(column) for column in zip(*steps)]
