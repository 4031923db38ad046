"""Learned empowerment of every gridworld cell, next to the exact value (Blahut-Arimoto): what
scripts/empowerment_map.py reports and the estimators' accuracy tests check.

States are one-hot free cells; windows (s_t, a_t..a_{t+n-1}, s_{t+1}..s_{t+n}) are drawn from the
exact transition table with uniformly random actions, starting in uniformly random cells (every
state equally covered) or, with COVERAGES "near_start", in cells drawn in proportion to
exp(-moves from the start / scale): an agent's replay, dense where it has been and sparse
further out, which tells whether an estimate carries over to the cells it has little data of.
"""
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import exact
from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import variational
from tf_empowerment.envs import gridworld

ESTIMATORS = ("exact", "mine_dv", "mine_jsd", "variational")
SOURCES = ("uniform", "learned")
COVERAGES = ("uniform", "near_start")


def moves_from_start(layout):
  """int [num_states]: the fewest moves from the layout's start to each free cell (BFS; -1 where
  none reaches)."""
  distances = np.full(layout.num_states, -1)
  frontier = np.array([layout.state_index(layout.start)])
  distance = 0
  while frontier.size:
    distances[frontier] = distance
    successors = np.unique(layout.successors[frontier])
    frontier = successors[distances[successors] < 0]
    distance += 1
  return distances


def start_distribution(layout, coverage, scale):
  """Probabilities [num_states] of each cell starting a training window (see COVERAGES)."""
  if coverage not in COVERAGES:
    raise ValueError(f"coverage must be one of {COVERAGES}, got {coverage!r}")
  if coverage == "uniform":
    return np.full(layout.num_states, 1.0 / layout.num_states)
  if scale <= 0:
    raise ValueError(f"the coverage scale must be positive, got {scale}")
  moves = moves_from_start(layout)
  weights = np.where(moves >= 0, np.exp(-moves / scale), 0.0)
  return weights / weights.sum()


class TransitionSampler:
  """Draws windows of `layout`: a cell drawn from `start_probabilities` [num_states] (None:
  uniform), then `n_steps` uniform actions."""

  def __init__(self, layout, n_steps, slip, seed, start_probabilities=None):
    table = gridworld.transition_table(layout, slip)
    self.num_states, self.num_actions = table.shape[:2]
    self.n_steps = n_steps
    self.states = np.eye(self.num_states, dtype=np.float32)  # one-hot state of every cell
    self._cumulative = np.cumsum(table, axis=-1)
    self._start_probabilities = start_probabilities
    self._rng = np.random.default_rng(seed)
    self.start_counts = np.zeros(self.num_states, np.int64)  # windows drawn from each cell

  def sample(self, batch_size):
    """(states [B, S] float32, actions [B] int32, next_states [B, S] float32); with n_steps > 1
    actions [B, n] and next_states [B, n, S], the state each action led to."""
    if self._start_probabilities is None:
      cells = self._rng.integers(self.num_states, size=batch_size)
    else:
      cells = self._rng.choice(self.num_states, size=batch_size, p=self._start_probabilities)
    np.add.at(self.start_counts, cells, 1)
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
                    batch_size=256, log_every=0, start_probabilities=None, features=None):
  """(estimate [num_states], exact [num_states]) in nats, free cells in row-major order, and
  the training windows drawn from each cell [num_states] (0 for the exact estimator).

  "exact" is the capacity for source "learned", and I(A; S') under uniformly random action
  sequences for source "uniform"; `estimator="exact"` returns it as the estimate too. Training
  windows start in cells drawn from `start_probabilities` (None: uniform; TransitionSampler).
  With `features` (e.g. GridViewFeatures) the estimator reads features(one-hot states).
  """
  if estimator not in ESTIMATORS or source not in SOURCES:
    raise ValueError(f"estimator must be in {ESTIMATORS} and source in {SOURCES}, "
                     f"got {estimator!r} and {source!r}")
  truth = exact.gridworld_empowerment(layout, n_steps, slip,
                                      "optimal" if source == "learned" else "uniform")
  if estimator == "exact":
    return truth, truth, np.zeros(layout.num_states, np.int64)
  tf.random.set_seed(seed)
  sampler = TransitionSampler(layout, n_steps, slip, seed, start_probabilities)
  learned = make_estimator(estimator, sampler.num_actions, n_steps, source)
  read = features or tf.identity
  all_states = read(sampler.states)
  for step in range(1, train_steps + 1):
    states, actions, next_states = sampler.sample(batch_size)
    metrics = learned.train_step(read(states), actions, read(next_states))
    if log_every and step % log_every == 0:
      error = np.abs(learned.empowerment(all_states).numpy() - truth)
      print(f"step {step}: mean |error| {error.mean():.4f}, max {error.max():.4f} nats; "
            + ", ".join(f"{key} {float(value):.4f}" for key, value in sorted(metrics.items())),
            flush=True)
  return learned.empowerment(all_states).numpy(), truth, sampler.start_counts


VISIT_GROUPS = (0, 1, 10, 100, 1_000, np.inf)  # [low, high) edges


def by_visits_table(visits, estimates, exact_values, visits_name="visits"):
  """A markdown table of cells grouped by `visits` [num_states]: per group the cells, the mean
  estimate and exact value (nats), the mean |error| and the share of estimates below 0 (where a
  floored reward takes its lowest value). Where the estimate can be trusted, and where not."""
  lines = [f"| {visits_name} | cells | estimate, mean | exact, mean | mean abs error | "
           "estimate below 0 |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
  for low, high in zip(VISIT_GROUPS[:-1], VISIT_GROUPS[1:]):
    group = (visits >= low) & (visits < high)
    if group.any():
      name = (f"{low:,}+" if np.isinf(high) else f"{low:,}" if high - low == 1
              else f"{low:,}-{int(high) - 1:,}")
      lines.append(f"| {name} | {int(group.sum())} | {estimates[group].mean():.2f} | "
                   f"{exact_values[group].mean():.2f} | "
                   f"{np.abs(estimates[group] - exact_values[group]).mean():.2f} | "
                   f"{(estimates[group] < 0).mean():.0%} |")
  return "\n".join(lines)


def doorway_rank(layout, values):
  """{"estimate": mean value (nats) of the layout's doorways, "percentile": the mean fraction
  of cells below a doorway}, or None without doorways: where k-step empowerment ranks them."""
  doorways = list(layout.doorways)
  if not doorways:
    return None
  return {"estimate": float(values[doorways].mean()),
          "percentile": float(np.mean([(values < values[d]).mean() for d in doorways]))}
