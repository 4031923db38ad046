"""Learned empowerment of Montezuma's Revenge states, measured offline: does the estimate vary
with where the agent is, or is it noise? What scripts/montezuma_empowerment_map.py reports.

Uniformly random actions (the first room is where such a policy stays) are embedded by the
run's ObservationPipeline and train the run's EmpowermentReward exactly as its learner would, on
replayed windows; the estimate of every collected state is then set beside the agent's position
from RAM. The spread says whether the estimate is informative: its std and quantiles, and the
share of its variance the position explains (eta^2 over position cells), against the same share
for the estimates shuffled over states (what sampling noise alone gives).
"""
import collections

import numpy as np
import tensorflow as tf

from tf_empowerment.envs import montezuma

# Windows as the learner samples them: observations [B, T, D] and actions [B, T].
Windows = collections.namedtuple("Windows", ["observation", "action"])
CELL = 8  # position cells of CELL x CELL RAM units (about screen pixels)
MIN_CELL_SAMPLES = 20


class Collection:
  """Embedded states of `num_envs` environments over time, with RAM position and actions.

  Arrays are [time, env]; states [time, env, D]; `starts[t, e]` says state t began an episode,
  so t - 1 -> t is no transition.
  """

  def __init__(self, py_env, pipeline, num_steps, seed):
    spec = py_env.action_spec()
    rng = np.random.default_rng(seed)
    states, actions, starts, positions = [], [], [], []
    time_step = py_env.reset()
    for _ in range(num_steps):
      action = rng.integers(spec.minimum, spec.maximum + 1, size=py_env.batch_size)
      states.append(pipeline.embed(time_step.observation).numpy())
      starts.append(time_step.is_first())
      info = py_env.get_info()
      positions.append(np.stack([info["room"], info["x"], info["y"]], axis=-1))
      actions.append(action.astype(spec.dtype))
      time_step = py_env.step(actions[-1])
    self.states = np.stack(states).astype(np.float32)
    self.actions = np.stack(actions)
    self.starts = np.stack(starts)
    self.positions = np.stack(positions)  # [time, env, (room, x, y)]

  def window_starts(self, length):
    """(time, env) index arrays of every window of `length` states inside one episode."""
    time, _ = self.starts.shape
    inside = np.ones((time - length + 1,) + self.starts.shape[1:], bool)
    for offset in range(1, length):
      inside &= ~self.starts[offset:time - length + 1 + offset]
    return np.nonzero(inside)

  def windows(self, times, envs, length):
    """Windows [B, length] starting at (times, envs)."""
    steps = times[:, None] + np.arange(length)
    return Windows(tf.constant(self.states[steps, envs[:, None]]),
                   tf.constant(self.actions[steps, envs[:, None]]))


def train(reward, collection, train_steps, batch_size, seed, log_every=0):
  """Trains `reward` (an EmpowermentReward) on uniformly sampled windows of `collection`."""
  length = reward.window_length
  times, envs = collection.window_starts(length)
  rng = np.random.default_rng(seed)
  real = tf.ones([batch_size, length - 1])
  train_step = tf.function(reward.train_on_windows)
  for step in range(1, train_steps + 1):
    chosen = rng.integers(len(times), size=batch_size)
    metrics = train_step(collection.windows(times[chosen], envs[chosen], length), real)
    if log_every and step % log_every == 0:
      print(f"step {step}: " + ", ".join(f"{key} {float(value):.4f}"
                                         for key, value in sorted(metrics.items())), flush=True)


def estimates(reward, collection, batch_size=1024):
  """The estimate [time * env] (nats) of every collected state, and positions [time * env, 3]."""
  states = collection.states.reshape(-1, collection.states.shape[-1])
  values = np.concatenate([reward.state_values(tf.constant(states[i:i + batch_size])).numpy()
                           for i in range(0, len(states), batch_size)])
  return values, collection.positions.reshape(-1, 3)


def position_cells(positions):
  """A cell id [N] per (room, x, y): rooms apart, CELL x CELL units within a room."""
  rooms, xs, ys = (positions[:, i].astype(np.int64) for i in range(3))
  return (rooms * 1_000 + xs // CELL) * 1_000 + ys // CELL


def explained_share(values, cells, min_samples=MIN_CELL_SAMPLES):
  """eta^2: the share of the variance of values [N] between cells [N], over the cells with at
  least `min_samples` values; NaN when fewer than two such cells."""
  ids, inverse, counts = np.unique(cells, return_inverse=True, return_counts=True)
  kept = counts[inverse] >= min_samples
  if np.sum(counts >= min_samples) < 2:
    return float("nan")
  values, inverse = values[kept], inverse[kept]
  means = np.bincount(inverse, values, minlength=len(ids)) / np.maximum(
      np.bincount(inverse, minlength=len(ids)), 1)
  total = np.var(values)
  return float(np.var(means[inverse]) / total) if total > 0 else 0.0


def spread(values, positions, seed):
  """Summary of estimates [N] (nats) against positions [N, 3]: mean, std, 5th / 50th / 95th
  percentile, max, the share of variance the position explains, and that share for the
  values shuffled over states (chance)."""
  cells = position_cells(positions)
  shuffled = np.random.default_rng(seed).permutation(values)
  percentiles = np.percentile(values, [5, 50, 95])
  return {"states": int(len(values)), "mean": float(np.mean(values)),
          "std": float(np.std(values)), "p5": float(percentiles[0]),
          "p50": float(percentiles[1]), "p95": float(percentiles[2]),
          "max": float(np.max(values)),
          "position_share": explained_share(values, cells),
          "position_share_shuffled": explained_share(shuffled, cells)}


def cell_means(values, positions, room, min_samples=MIN_CELL_SAMPLES):
  """(screen columns, screen rows, mean estimate) of `room`'s position cells with at least
  `min_samples` states, at the cells' centres."""
  here = positions[:, 0] == room
  xs = positions[here, 1] // CELL * CELL + CELL / 2
  ys = positions[here, 2] // CELL * CELL + CELL / 2
  keys, inverse, counts = np.unique(np.stack([xs, ys], 1), axis=0, return_inverse=True,
                                    return_counts=True)
  inverse = inverse.reshape(-1)
  means = np.bincount(inverse, values[here], minlength=len(keys)) / counts
  kept = counts >= min_samples
  columns, rows = montezuma.screen_position(keys[kept, 0], keys[kept, 1])
  return columns, rows, means[kept]
