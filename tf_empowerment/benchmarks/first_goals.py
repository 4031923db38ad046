"""Steps to the first goal compared between two configurations over seeds.

A seed that never reached the goal counts as later than every seed that did (right-censored at
the run's budget, as in a survival analysis): a median over the reaching seeds alone favours a
configuration that reaches the goal in fewer seeds, and the target "fewer steps to the first
goal than the novelty term alone" is about all of them.
"""
import math

NOT_REACHED = math.inf


def sorted_first_goals(first_goals):
  """First-goal steps (None where not reached) in ascending order, NOT_REACHED last."""
  return sorted(NOT_REACHED if step is None else step for step in first_goals)


def quantile_over_seeds(first_goals, fraction):
  """The `fraction` quantile (0.5: the median) of the first goal over every seed, interpolated
  between neighbours; NOT_REACHED where it falls among the seeds that never reached it."""
  ordered = sorted_first_goals(first_goals)
  position = (len(ordered) - 1) * fraction
  low, high = ordered[math.floor(position)], ordered[math.ceil(position)]
  if high == NOT_REACHED:
    return NOT_REACHED
  return low + (high - low) * (position - math.floor(position))


def fisher_more_reached(reached, seeds, baseline_reached, baseline_seeds):
  """One-sided Fisher exact p that the first configuration reaches the goal in more seeds:
  P(X >= reached) for X hypergeometric with the margins of the 2 x 2 table."""
  total_reached, total = reached + baseline_reached, seeds + baseline_seeds
  ways = math.comb(total, seeds)
  upper = min(seeds, total_reached)
  return sum(math.comb(total_reached, k) * math.comb(total - total_reached, seeds - k)
             for k in range(reached, upper + 1)) / ways


def rank_sum_earlier(first_goals, baseline_first_goals):
  """One-sided Mann-Whitney p that the first configuration's first goals come earlier, seeds
  that never reached it tied beyond the rest; normal approximation with the tie correction."""
  a, b = sorted_first_goals(first_goals), sorted_first_goals(baseline_first_goals)
  pooled = sorted(a + b)
  ranks = {}  # value -> mid-rank (1-based) of its ties
  for index, value in enumerate(pooled):
    ranks.setdefault(value, []).append(index + 1)
  mid_rank = {value: sum(positions) / len(positions) for value, positions in ranks.items()}
  n_a, n_b, n = len(a), len(b), len(pooled)
  u = sum(mid_rank[value] for value in a) - n_a * (n_a + 1) / 2  # small: a earlier
  ties = sum(len(positions) ** 3 - len(positions) for positions in ranks.values())
  variance = n_a * n_b / 12 * ((n + 1) - ties / (n * (n - 1)))
  if variance == 0:
    return 0.5
  z = (u - n_a * n_b / 2) / math.sqrt(variance)
  return 0.5 * math.erfc(-z / math.sqrt(2))  # P(Z <= z)
