"""Learned empowerment of every gridworld cell, next to the exact value (Blahut-Arimoto): what
scripts/empowerment_map.py reports and the estimators' accuracy tests check.

States are one-hot free cells; windows (s_t, a_t..a_{t+n-1}, s_{t+1}..s_{t+n}) are drawn from the
exact transition table with uniformly random cells and actions, so the behaviour policy is
uniform and every state is equally covered.
"""
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import exact
from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import variational
from tf_empowerment.envs import gridworld

ESTIMATORS = ("exact", "mine_dv", "mine_jsd", "variational")
SOURCES = ("uniform", "learned")


class TransitionSampler:
  """Draws windows of `layout`: a uniformly random cell, then `n_steps` uniform actions."""

  def __init__(self, layout, n_steps, slip, seed):
    table = gridworld.transition_table(layout, slip)
    self.num_states, self.num_actions = table.shape[:2]
    self.n_steps = n_steps
    self.states = np.eye(self.num_states, dtype=np.float32)  # one-hot state of every cell
    self._cumulative = np.cumsum(table, axis=-1)
    self._rng = np.random.default_rng(seed)

  def sample(self, batch_size):
    """(states [B, S] float32, actions [B] int32, next_states [B, S] float32); with n_steps > 1
    actions [B, n] and next_states [B, n, S], the state each action led to."""
    cells = self._rng.integers(self.num_states, size=batch_size)
    actions = self._rng.integers(self.num_actions, size=(batch_size, self.n_steps))
    path = [cells]
    for step in range(self.n_steps):
      uniform = self._rng.random((batch_size, 1))
      path.append(np.minimum((uniform > self._cumulative[path[-1], actions[:, step]]).sum(-1),
                             self.num_states - 1))
    next_states = self.states[np.stack(path[1:], axis=1)]
    if self.n_steps == 1:
      return self.states[cells], actions[:, 0].astype(np.int32), next_states[:, 0]
    return self.states[cells], actions.astype(np.int32), next_states


def make_estimator(name, num_actions, n_steps, source):
  """A learned estimator by its command-line name; its hyperparameters come from gin."""
  source = "learned" if source == "learned" else "uniform"
  if name == "variational":
    return variational.VariationalEmpowerment(num_actions, n_steps, source=source)
  return mine.MineEmpowerment(num_actions, n_steps, objective=name[len("mine_"):], source=source)


def empowerment_map(layout, estimator, n_steps, slip, source, train_steps, seed,
                    batch_size=256, log_every=0):
  """(estimate [num_states], exact [num_states]) in nats, free cells in row-major order.

  "exact" is the capacity for source "learned", and I(A; S') under uniformly random action
  sequences for source "uniform"; `estimator="exact"` returns it as the estimate too.
  """
  if estimator not in ESTIMATORS or source not in SOURCES:
    raise ValueError(f"estimator must be in {ESTIMATORS} and source in {SOURCES}, "
                     f"got {estimator!r} and {source!r}")
  truth = exact.gridworld_empowerment(layout, n_steps, slip,
                                      "optimal" if source == "learned" else "uniform")
  if estimator == "exact":
    return truth, truth
  tf.random.set_seed(seed)
  sampler = TransitionSampler(layout, n_steps, slip, seed)
  learned = make_estimator(estimator, sampler.num_actions, n_steps, source)
  for step in range(1, train_steps + 1):
    metrics = learned.train_step(*sampler.sample(batch_size))
    if log_every and step % log_every == 0:
      error = np.abs(learned.empowerment(sampler.states).numpy() - truth)
      print(f"step {step}: mean |error| {error.mean():.4f}, max {error.max():.4f} nats; "
            + ", ".join(f"{key} {float(value):.4f}" for key, value in sorted(metrics.items())),
            flush=True)
  return learned.empowerment(sampler.states).numpy(), truth


def doorway_rank(layout, values):
  """{"estimate": mean value (nats) of the layout's doorways, "percentile": the mean fraction
  of cells below a doorway}, or None without doorways: where k-step empowerment ranks them."""
  doorways = list(layout.doorways)
  if not doorways:
    return None
  return {"estimate": float(values[doorways].mean()),
          "percentile": float(np.mean([(values < values[d]).mean() for d in doorways]))}
