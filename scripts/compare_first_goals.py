"""Compares steps to the first goal of benchmark results against a baseline's, over every seed.

    python scripts/compare_first_goals.py --baseline=docs/.../results_counts_40_seeds.json \
        --results=docs/.../results_untried_new_40_seeds.json

Reads the `summary` rows of benchmark_exploration.py's results.json files and prints, per row
(named by its file, as one config may run with different bindings), the seeds reaching the
goal, the median first goal over those seeds, and over every seed with its quartiles (a seed
that never reached it counting as later than the rest, "not reached" where such seeds fall),
and one-sided p values: Fisher's that it reaches the goal in more seeds than the baseline, a
rank sum's that its first goals come earlier.
"""
import json
import os

from absl import app
from absl import flags

from tf_empowerment.benchmarks import first_goals

flags.DEFINE_string("baseline", None, "results.json whose row for the same task is the baseline "
                    "(comma-separated files: their seeds pooled)", required=True)
flags.DEFINE_multi_string("results", [], "results.json files to compare with it (each may be "
                          "comma-separated files, pooled)")
flags.DEFINE_string("baseline_config", None, "The baseline's config, if its file has several")
FLAGS = flags.FLAGS


def _rows(paths):
  """The summary rows of comma-separated results.json files, the seeds of one (task, config)
  pooled across them (a replication on new seeds beside the first run)."""
  pooled = {}
  for path in paths.split(","):
    with open(path) as file:
      for row in json.load(file)["summary"]:
        key = (row["task"], row["config"])
        pooled.setdefault(key, {"task": key[0], "config": key[1], "first_goal_steps": []})
        pooled[key]["first_goal_steps"] += row["first_goal_steps"]
  return list(pooled.values())


def _steps(value):
  return "not reached" if value == first_goals.NOT_REACHED else f"{value:,.0f}"


def main(argv):
  del argv
  baselines = {row["task"]: row for row in _rows(FLAGS.baseline)
               if FLAGS.baseline_config in (None, row["config"])}
  print("| results | task | config | seeds reaching goal | median (reaching) | median (all seeds) "
        "| quartiles (all seeds) | p more seeds | p earlier |")
  print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
  for path in [FLAGS.baseline] + FLAGS.results:
    for row in _rows(path):
      baseline = baselines.get(row["task"])
      if baseline is None:
        raise ValueError(f"{FLAGS.baseline} has no row for task {row['task']!r}")
      steps, reference = row["first_goal_steps"], baseline["first_goal_steps"]
      reached = [step for step in steps if step is not None]
      reaching = first_goals.quantile_over_seeds(reached or [None], 0.5)
      low, median, high = (first_goals.quantile_over_seeds(steps, fraction)
                           for fraction in (0.25, 0.5, 0.75))
      more = first_goals.fisher_more_reached(len(reached), len(steps),
                                             sum(s is not None for s in reference), len(reference))
      earlier = first_goals.rank_sum_earlier(steps, reference)
      name = ",".join(os.path.basename(part) for part in path.split(","))
      print(f"| {name} | {row['task']} | {row['config']} | {len(reached)}/{len(steps)} | "
            f"{_steps(reaching)} | {_steps(median)} | {_steps(low)}-{_steps(high)} | "
            f"{more:.3f} | {earlier:.3f} |")


if __name__ == "__main__":
  app.run(main)
