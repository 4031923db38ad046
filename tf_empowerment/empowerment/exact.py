"""Exact empowerment: channel capacity by Blahut-Arimoto, and n-step gridworld empowerment.

Empowerment of a state s is max_w I(A; S' | s), the capacity of the channel p(s' | s, a)
(Klyubin et al. 2005; Salge et al. 2014). These are the ground truths the learned estimators
are checked against, in float64 numpy.
"""
import numpy as np

from tf_empowerment.envs import gridworld

SOURCES = ("optimal", "uniform")


def _check_channel(channel):
  """Returns `channel` as float64 [..., num_actions, num_outcomes], or raises ValueError."""
  channel = np.asarray(channel, dtype=np.float64)
  if channel.ndim < 2 or 0 in channel.shape:
    raise ValueError(f"channel must be [..., num_actions, num_outcomes], got shape {channel.shape}")
  if np.any(channel < 0) or not np.allclose(channel.sum(-1), 1.0, atol=1e-6):
    raise ValueError("channel rows p(s' | a) must be non-negative and sum to 1")
  return channel


def _divergences(channel, source):
  """KL(p(. | a) || sum_a' w(a') p(. | a')) in nats for every action: [..., num_actions]."""
  outcome = np.einsum("...a,...as->...s", source, channel)
  ratio = np.where(channel > 0, channel / np.where(outcome > 0, outcome, 1.0)[..., None, :], 1.0)
  return np.sum(channel * np.log(ratio), axis=-1)


def mutual_information(channel, source):
  """I(A; S') in nats for channel [..., A, S'] = p(s' | a) and source [..., A] = w(a)."""
  channel = _check_channel(channel)
  source = np.asarray(source, dtype=np.float64)
  if source.shape != channel.shape[:-1]:
    raise ValueError(f"source shape {source.shape} does not match channel {channel.shape}")
  return np.sum(source * _divergences(channel, source), axis=-1)


def blahut_arimoto(channel, tolerance=1e-6, max_iterations=100_000):
  """Capacity max_w I(A; S') in nats and an optimal source w, for channel[..., a, s'] = p(s'|a).

  Blahut (1972) and Arimoto (1972): w(a) <- w(a) exp(D_a) / Z with D_a = KL(p(.|a) || p_w).
  Every iterate brackets the capacity between Arimoto's bounds log Z <= C <= max_a D_a, and
  the loop stops once that gap is below `tolerance` nats for every channel in the batch; the
  lower bound is returned. Leading dimensions are independent channels.
  """
  channel = _check_channel(channel)
  source = np.full(channel.shape[:-1], 1.0 / channel.shape[-2])
  for _ in range(max_iterations):
    divergences = _divergences(channel, source)
    shift = divergences.max(axis=-1, keepdims=True)  # the upper bound; also keeps exp finite
    weights = source * np.exp(divergences - shift)
    lower = np.log(weights.sum(-1)) + shift[..., 0]
    source = weights / weights.sum(-1, keepdims=True)
    if np.all(shift[..., 0] - lower < tolerance):
      return lower, source
  raise RuntimeError(f"Blahut-Arimoto did not reach a {tolerance} nat gap in {max_iterations} "
                     "iterations")


def gridworld_empowerment(layout, n_steps=1, slip=0.0, source="optimal"):
  """Exact n-step empowerment of every free cell, [num_states] nats (row-major free cells).

  The channel of state s is the n-step transition table row p(s_{t+n} | s_t = s, a_{t:t+n}) over
  all num_actions**n action sequences. `source="optimal"` gives the capacity (empowerment);
  `source="uniform"` gives I(A; S') under uniformly random action sequences.
  """
  if source not in SOURCES:
    raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
  table = gridworld.n_step_transition_table(layout, n_steps, slip)
  if source == "uniform":
    return mutual_information(table, np.full(table.shape[:2], 1.0 / table.shape[1]))
  return blahut_arimoto(table)[0]
