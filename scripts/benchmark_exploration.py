"""Exploration benchmark: exploration bonuses in one DQN pipeline on sparse-reward tasks.

  python scripts/benchmark_exploration.py --output_dir=runs/exploration

Runs scripts/train.py for every task x config x seed, `--parallel` at a time. A config is a gin
file gin/<config>.gin and a task is gin/benchmark_<task>.gin, read after it. The default configs
are plain DQN; the bonuses (tabular counts over the run and within episodes, RND, curiosity,
the learned MINE empowerment), each with its default shaping; and the constant per-step bonus
of both signs, the optimism control every bonus is read against. The shaping study's configs
(gin/gridworld_<bonus>_{summed,centred,optimistic,two_head}.gin) are named with --configs.

From each run's TensorBoard events it takes whether and when the agent first reached the goal
(the `first_goal_step` metric of the task's ExplorationCounters), the distinct states visited
(its `distinct_cells_total`) and the greedy policy's success in the final evaluation. It prints
every task x config, then configs x tasks twice (seeds reaching the goal with the median steps to
it; the greedy success), the controls beside each bonus, and writes results.json, results.md,
distinct_states.png (distinct states over agent steps, mean and min-max over seeds) and
first_goal.png (steps to the first goal per seed) to --output_dir. A run that finished before
with the same train.py command (its summary.json) is reused when the benchmark is rerun; any
other starts afresh.
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
from tf_empowerment.benchmarks.event_files import read_scalars

GIN_DIR = os.path.join(sweeps.REPO, "gin")

TASKS = ["nine_rooms", "deep_sea", "doorkey", "multiroom", "keycorridor"]
# Each bonus with its default shaping, and the optimism controls of both signs.
CONFIGS = ["gridworld_dqn", "gridworld_constant_negative", "gridworld_constant_positive",
           "gridworld_counts", "gridworld_episodic_counts", "gridworld_rnd", "gridworld_curiosity",
           "gridworld_mine"]
flags.DEFINE_list("tasks", TASKS, "Tasks: gin/benchmark_<task>.gin each.")
flags.DEFINE_list("configs", CONFIGS, "Configurations to compare: gin/<config>.gin each.")
flags.DEFINE_integer("seeds", 5, "Seeds per task and config: Runner.seed = 0, 1, ...")
flags.DEFINE_integer("first_seed", 0, "The first seed: a replication on new seeds starts past "
                     "the ones reported.")
flags.DEFINE_integer("num_agent_steps", None, "Steps budget of every run (default: the task's).")
flags.DEFINE_string("output_dir", "runs/exploration", "Where runs, results and the plot go.")
flags.DEFINE_integer("parallel", 2, "Training processes at a time.")
flags.DEFINE_multi_string("gin_bindings", [], "Extra bindings for every run, e.g. "
                          "'EmpowermentReward.beta = 0.5'.")
flags.DEFINE_bool("tabulate_only", False, "Train nothing: tabulate the runs that finished "
                  "before with the same command (a row's seeds say how many).")
FLAGS = flags.FLAGS


def train_command(task, config, seed, root_dir, num_agent_steps=None, gin_bindings=()):
  """The scripts/train.py command line of one run: the config's gin file, then the task's."""
  gin_files = [os.path.join(GIN_DIR, f"{config}.gin"),
               os.path.join(GIN_DIR, f"benchmark_{task}.gin")]
  return sweeps.train_command(root_dir, gin_files, seed, num_agent_steps, gin_bindings)


def summarise_run(train, evaluation):
  """One run's results from its train and eval scalars (see `read_scalars`).

  The env's lifetime counters are read from each report's largest episode value
  (`episode_max/*`), which is their value at the report's last episode; `first_goal_step` is 0
  until the first goal and exact from then on (see exploration_counters.ExplorationCounters).
  """
  first_goal_step = int(train["episode_max/first_goal_step"][1].max())
  steps, distinct = train["episode_max/distinct_cells_total"]
  return {"reached_goal": first_goal_step > 0, "first_goal_step": first_goal_step or None,
          "distinct_states": float(distinct[-1]),
          "greedy_reached_goal": float(evaluation["episode/reached_goal"][1][-1]),
          "distinct_curve": [steps.tolist(), distinct.tolist()]}


def aggregate(runs):
  """Per (task, config): seeds reaching the goal, first-goal steps, distinct states."""
  rows = []
  for key in dict.fromkeys((run["task"], run["config"]) for run in runs):
    group = [run for run in runs if (run["task"], run["config"]) == key]
    distinct = np.array([run["distinct_states"] for run in group])
    rows.append({
        "task": key[0], "config": key[1], "seeds": len(group),
        "reached_goal": sum(run["reached_goal"] for run in group),
        "first_goal_steps": [run["first_goal_step"] for run in group],
        "distinct_states_mean": float(distinct.mean()),
        "distinct_states_std": float(distinct.std()),
        "greedy_success": float(np.mean([run["greedy_reached_goal"] for run in group])),
    })
  return rows


def markdown_table(rows):
  lines = ["| task | config | seeds reaching goal | steps to first goal (per seed) | "
           "distinct states (mean ± std) | greedy success at the end (mean) |",
           "| --- | --- | --- | --- | --- | --- |"]
  for row in rows:
    steps = ", ".join("-" if step is None else str(step) for step in row["first_goal_steps"])
    lines.append(
        f"| {row['task']} | {row['config']} | {row['reached_goal']}/{row['seeds']} | {steps} | "
        f"{row['distinct_states_mean']:.1f} ± {row['distinct_states_std']:.1f} | "
        f"{row['greedy_success']:.2f} |")
  return "\n".join(lines)


def _median(steps):
  reached = [step for step in steps if step is not None]
  return f"{np.median(reached):,.0f}" if reached else "-"


def _goal_cell(row):
  return f"{row['reached_goal']}/{row['seeds']} ({_median(row['first_goal_steps'])})"


def _greedy_cell(row):
  return f"{row['greedy_success']:.2f}"


def comparison_table(rows, cell=_goal_cell):
  """Configs x tasks, a `cell` each: by default the seeds reaching the goal and the median steps
  to it over those seeds."""
  tasks = list(dict.fromkeys(row["task"] for row in rows))
  cells = {(row["config"], row["task"]): row for row in rows}
  lines = ["| config | " + " | ".join(tasks) + " |", "| --- |" + " --- |" * len(tasks)]
  for config in dict.fromkeys(row["config"] for row in rows):
    entries = ["" if (config, task) not in cells else cell(cells[config, task]) for task in tasks]
    lines.append(f"| {config} | " + " | ".join(entries) + " |")
  return "\n".join(lines)


def plot_first_goal(rows, path):
  """Steps to the first goal per seed (dots; runs that never reached it at the top edge)."""
  tasks = list(dict.fromkeys(row["task"] for row in rows))
  configs = list(dict.fromkeys(row["config"] for row in rows))
  figure, axes = pyplot.subplots(1, len(tasks), figsize=(5 * len(tasks), 0.4 * len(configs) + 1.5),
                                 squeeze=False, sharey=True)
  for axis, task in zip(axes[0], tasks):
    task_rows = {row["config"]: row for row in rows if row["task"] == task}
    top = max([step for row in task_rows.values() for step in row["first_goal_steps"]
               if step is not None] or [1])
    for y, config in enumerate(configs):
      steps = task_rows[config]["first_goal_steps"] if config in task_rows else []
      reached = [step for step in steps if step is not None]
      axis.plot(reached, [y] * len(reached), "o", color="tab:blue", alpha=0.7)
      missed = len(steps) - len(reached)
      if missed:
        axis.plot([top * 1.1], [y], "x", color="tab:red")
        axis.annotate(f"{missed} never", (top * 1.1, y), textcoords="offset points",
                      xytext=(6, -3), fontsize=8)
    axis.set_yticks(range(len(configs)), configs)
    axis.set_title(task)
    axis.set_xlabel("agent steps to the first goal")
  figure.savefig(path, dpi=100, bbox_inches="tight")
  pyplot.close(figure)


def plot_distinct_states(runs, path):
  """Distinct states over agent steps per task (one panel) and config (mean, min-max band)."""
  tasks = list(dict.fromkeys(run["task"] for run in runs))
  figure, axes = pyplot.subplots(1, len(tasks), figsize=(6 * len(tasks), 4), squeeze=False)
  for axis, task in zip(axes[0], tasks):
    for config in dict.fromkeys(run["config"] for run in runs if run["task"] == task):
      curves = [run["distinct_curve"] for run in runs
                if (run["task"], run["config"]) == (task, config)]
      steps = np.unique(np.concatenate([curve[0] for curve in curves]))
      values = np.stack([np.interp(steps, *curve) for curve in curves])
      line, = axis.plot(steps, values.mean(0), label=f"{config} ({len(curves)} seeds)")
      axis.fill_between(steps, values.min(0), values.max(0), color=line.get_color(), alpha=0.2)
    axis.set_title(task)
    axis.set_xlabel("agent steps")
    axis.set_ylabel("distinct states visited")
    axis.legend()
  figure.savefig(path, dpi=100, bbox_inches="tight")
  pyplot.close(figure)


def run_all(jobs):
  """Trains (task, config, seed) jobs, `--parallel` at a time; their summaries and results."""
  root_dirs = [os.path.join(os.path.abspath(FLAGS.output_dir), task, config, f"seed_{seed}")
               for task, config, seed in jobs]
  runs = [sweeps.Run(f"{task} {config} seed {seed}", root_dir,
                     train_command(task, config, seed, root_dir, FLAGS.num_agent_steps,
                                   FLAGS.gin_bindings))
          for (task, config, seed), root_dir in zip(jobs, root_dirs)]
  if FLAGS.tabulate_only:
    finished = [i for i, run in enumerate(runs) if sweeps.finished_summary(run) is not None]
    jobs, root_dirs, runs = ([items[i] for i in finished] for items in (jobs, root_dirs, runs))
    if not runs:
      sys.exit(f"error: no finished run under {FLAGS.output_dir} to tabulate")
  try:
    summaries = sweeps.run_sweep(runs, FLAGS.parallel)
  except sweeps.RunFailedError as error:
    sys.exit(f"error: {error}")
  return [{"task": task, "config": config, "seed": seed, **summary,
           **summarise_run(read_scalars(os.path.join(root_dir, "train")),
                           read_scalars(os.path.join(root_dir, "eval")))}
          for (task, config, seed), root_dir, summary in zip(jobs, root_dirs, summaries)]


def write_results(runs, minutes):
  """Prints the table; writes results.md, results.json and distinct_states.png."""
  rows = aggregate(runs)
  table = (f"{markdown_table(rows)}\n\nSeeds reaching the goal (median agent steps to the first "
           f"goal over those seeds):\n\n{comparison_table(rows)}\n\nThe greedy policy's success "
           f"at the end (evaluation episodes reaching the goal, mean over seeds):\n\n"
           f"{comparison_table(rows, _greedy_cell)}")
  print(f"\n{table}\n\n{len(runs)} runs in {minutes:.1f} minutes, {FLAGS.parallel} at a time")
  with open(os.path.join(FLAGS.output_dir, "results.md"), "w") as results_file:
    results_file.write(f"{table}\n")
  with open(os.path.join(FLAGS.output_dir, "results.json"), "w") as results_file:
    json.dump({"flags": {name: FLAGS[name].value for name in
                         ("tasks", "configs", "seeds", "first_seed", "num_agent_steps",
                          "gin_bindings")},
               "minutes": round(minutes, 1), "summary": rows, "runs": runs},
              results_file, indent=1)
  plot_distinct_states(runs, os.path.join(FLAGS.output_dir, "distinct_states.png"))
  plot_first_goal(rows, os.path.join(FLAGS.output_dir, "first_goal.png"))


def main(argv):
  del argv
  for kind, names, pattern in (("task", FLAGS.tasks, "benchmark_{}.gin"),
                                ("config", FLAGS.configs, "{}.gin")):
    for name in names:
      if not os.path.isfile(os.path.join(GIN_DIR, pattern.format(name))):
        sys.exit(f"error: no {kind} {name!r}: gin/{pattern.format(name)} does not exist")
  if FLAGS.seeds < 1 or FLAGS.parallel < 1 or FLAGS.first_seed < 0:
    sys.exit("error: --seeds and --parallel must be positive, --first_seed non-negative")
  seeds = range(FLAGS.first_seed, FLAGS.first_seed + FLAGS.seeds)
  jobs = [(task, config, seed) for task in FLAGS.tasks for config in FLAGS.configs
          for seed in seeds]
  start = time.monotonic()
  runs = run_all(jobs)
  minutes = (time.monotonic() - start) / 60
  write_results(runs, minutes)


if __name__ == "__main__":
  app.run(main)
