"""Montezuma's Revenge study: gin configurations x seeds, trained in parallel, then tabulated.

  python scripts/montezuma_study.py --frames=3000000 --seeds=0,1 --output_dir=runs/study

By default plain DQN, RND (the positive control) and empowerment on inverse-dynamics features
(the configuration whose estimate varies with the agent's position; README), each in the same
embedding pipeline, so the bonus is the only difference.

Each (configuration, seed) is a real `scripts/train.py` run under output_dir/<config>/seed_<s>
(rerunning resumes unfinished runs, and reuses those that finished with the same command).
Results come from the runs' TensorBoard events: best episode score, mean score over the last 100
episodes, most rooms visited in one episode, the hours spent training (summed over the sessions
of a resumed run, event_files.logged_hours) and learning curves (mean episode return and rooms
visited over frames), written as results.md, results.json and curves.png in output_dir.
--tabulate_only writes them for the runs that have logged a step, finished or not (the frames
column says how far each got), without training.
"""
import json
import os
import sys
import time

from absl import app
from absl import flags
import matplotlib
matplotlib.use("Agg")
from matplotlib import pyplot  # pylint: disable=g-import-not-at-top
import numpy as np

from tf_empowerment.benchmarks import sweeps
from tf_empowerment.benchmarks import event_files

FRAMES_PER_STEP = 4

flags.DEFINE_list("gin_files", ["gin/montezuma_dqn.gin", "gin/montezuma_rnd.gin",
                                 "gin/montezuma_mine_inverse.gin"],
                  "Configurations to compare (paths relative to the repository).")
flags.DEFINE_list("seeds", ["0", "1"], "Seeds for every configuration.")
flags.DEFINE_integer("frames", 3_000_000, "Emulator frames per run (4 per agent step).")
flags.DEFINE_integer("parallel", os.cpu_count() or 1, "Runs trained at the same time.")
flags.DEFINE_multi_string("gin_bindings", [], "Extra bindings for every run.")
flags.DEFINE_string("output_dir", "runs/montezuma_study", "Where runs and results go.")
flags.DEFINE_bool("tabulate_only", False, "Train nothing: tabulate the runs that have logged a "
                  "step, as far as they got.")
FLAGS = flags.FLAGS


def _run(config_name, seed, gin_file):
  """The sweep's run of one configuration and seed."""
  root_dir = _root_dir(config_name, seed)
  steps = FLAGS.frames // FRAMES_PER_STEP
  bindings = [f"Runner.log_interval = {max(steps // 200, 1000)}",
              "configure_threads.intra_op_parallelism = 1",
              "configure_threads.inter_op_parallelism = 1"] + FLAGS.gin_bindings
  return sweeps.Run(f"{config_name} seed {seed}", root_dir, sweeps.train_command(
      root_dir, [os.path.join(sweeps.REPO, gin_file)], seed, steps, bindings))


def _root_dir(config_name, seed):
  return os.path.join(os.path.abspath(FLAGS.output_dir), config_name, f"seed_{seed}")


def summarise_run(root_dir):
  """Best episode score, last-100 mean score, most rooms visited, frames and hours of one run."""
  scalars = event_files.read_scalars(os.path.join(root_dir, "train"))
  def last(tag):
    return float(scalars[tag][1][-1]) if tag in scalars else float("nan")
  def best(tag):
    return float(np.max(scalars[tag][1])) if tag in scalars else float("nan")
  return dict(hours=event_files.logged_hours(os.path.join(root_dir, "train")),
              best_score=best("episode_max/return"),
              mean_score_last_100=last("metrics/AverageReturn"),
              most_rooms=best("episode_max/rooms_visited"),
              frames=int(scalars["metrics/EnvironmentSteps"][1][-1]) * FRAMES_PER_STEP
              if "metrics/EnvironmentSteps" in scalars else 0)


def _plot(runs, path):
  """Learning curves of the (config, seed) runs: mean episode return and rooms visited."""
  curves = {run: event_files.read_scalars(os.path.join(_root_dir(*run), "train")) for run in runs}
  figure, axes = pyplot.subplots(1, 2, figsize=(12, 4))
  for axis, tag, label in ((axes[0], "episode/return", "mean episode return"),
                           (axes[1], "episode/rooms_visited", "rooms visited per episode")):
    for (config_name, seed), scalars in sorted(curves.items()):
      if tag in scalars:
        steps, values = scalars[tag]
        axis.plot(steps * FRAMES_PER_STEP, values, label=f"{config_name} seed {seed}")
    axis.set_xlabel("frames")
    axis.set_ylabel(label)
    axis.legend(fontsize=8)
  figure.savefig(path, dpi=80, bbox_inches="tight")
  pyplot.close(figure)


def main(argv):
  del argv
  # Seed-major order: with fewer slots than runs, every configuration progresses alike.
  runs = {(os.path.splitext(os.path.basename(gin_file))[0], seed): gin_file
          for seed in FLAGS.seeds for gin_file in FLAGS.gin_files}
  start = time.monotonic()
  if not FLAGS.tabulate_only:
    try:
      sweeps.run_sweep([_run(*key, gin_file) for key, gin_file in runs.items()],
                       FLAGS.parallel, resume=True)
    except sweeps.RunFailedError as error:
      sys.exit(f"error: {error}")
  wall = time.monotonic() - start
  rows = [dict(config=config_name, seed=seed, **summarise_run(_root_dir(config_name, seed)))
          for config_name, seed in runs]
  if FLAGS.tabulate_only:  # the runs that have logged a step
    rows = [row for row in rows if row["frames"] > 0]
    runs = [(row["config"], row["seed"]) for row in rows]
    if not rows:
      sys.exit(f"error: no run under {FLAGS.output_dir} has logged a step to tabulate")
  lines = ["| config | seed | frames | best episode score | mean score, last 100 | "
           "most rooms in an episode | hours |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
  lines += [f"| {r['config']} | {r['seed']} | {r['frames']:,} | {r['best_score']:g} | "
            f"{r['mean_score_last_100']:.2f} | {r['most_rooms']:g} | {r['hours']:.2f} |"
            for r in rows]
  table = "\n".join(lines)
  if not FLAGS.tabulate_only:
    table += f"\n\nwall-clock: {wall / 3600:.2f} h with {FLAGS.parallel} in parallel"
  print(table)
  with open(os.path.join(FLAGS.output_dir, "results.md"), "w") as results:
    results.write(table + "\n")
  with open(os.path.join(FLAGS.output_dir, "results.json"), "w") as results:
    json.dump(dict(rows=rows, wall_clock_hours=None if FLAGS.tabulate_only else wall / 3600),
              results, indent=2)
  _plot(runs, os.path.join(FLAGS.output_dir, "curves.png"))


if __name__ == "__main__":
  app.run(main)
