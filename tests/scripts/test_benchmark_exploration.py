"""Tests of scripts/benchmark_exploration.py's commands, event parsing and aggregation."""
import importlib.util
import json
import os
import subprocess
import sys

from absl.testing import absltest
import numpy as np
import tensorflow as tf

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location(
    "benchmark_exploration", os.path.join(REPO, "scripts", "benchmark_exploration.py"))
benchmark = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(benchmark)


def _write_events(directory, scalars, steps):
  """Writes scalars {tag: values} at `steps`, plus an image the parser must skip."""
  with tf.summary.create_file_writer(directory).as_default():
    for i, step in enumerate(steps):
      for tag, values in scalars.items():
        tf.summary.scalar(tag, values[i], step=step)
    tf.summary.image("empowerment/map", tf.zeros([1, 2, 2, 3]), step=steps[-1])


def _run(root_dir, first_goal, distinct, greedy):
  steps = [200, 400, 600]
  _write_events(os.path.join(root_dir, "train"), {
      "episode_max/first_goal_step": first_goal, "episode_max/distinct_cells_total": distinct,
      "episode/first_goal_step": [x / 2 for x in first_goal]}, steps)
  _write_events(os.path.join(root_dir, "eval"), {"episode/reached_goal": [greedy]}, [600])
  return benchmark.summarise_run(benchmark.read_scalars(os.path.join(root_dir, "train")),
                                 benchmark.read_scalars(os.path.join(root_dir, "eval")))


class BenchmarkExplorationTest(absltest.TestCase):

  def test_commands_pick_the_config_gin_and_bindings(self):
    dqn = benchmark.train_command("four_rooms", "gridworld_dqn", 3, "/r")
    self.assertEqual(dqn[2], "--root_dir=/r")
    self.assertEqual(dqn[3:], [f"--gin_file={REPO}/gin/gridworld_dqn.gin",
                               f"--gin_file={REPO}/gin/benchmark_four_rooms.gin",
                               "--gin_bindings=Runner.seed = 3"])
    empowerment = benchmark.train_command("deep_sea", "gridworld_mine", 0, "/r", 1000,
                                          ["EmpowermentReward.beta = 0.5", "X.y = 1"])
    self.assertEqual(empowerment[3:], [f"--gin_file={REPO}/gin/gridworld_mine.gin",
                                       f"--gin_file={REPO}/gin/benchmark_deep_sea.gin",
                                       "--gin_bindings=Runner.seed = 0",
                                       "--gin_bindings=Runner.num_agent_steps = 1000",
                                       "--gin_bindings=EmpowermentReward.beta = 0.5",
                                       "--gin_bindings=X.y = 1"])
    for gin_file in ("benchmark_four_rooms", "benchmark_deep_sea", "benchmark_nine_rooms",
                     "gridworld_dqn", "gridworld_mine", "gridworld_exact_empowerment"):
      self.assertTrue(os.path.isfile(f"{REPO}/gin/{gin_file}.gin"), gin_file)

  def test_summarises_the_per_report_maxima(self):
    summary = _run(self.create_tempdir().full_path, first_goal=[0.0, 330.0, 330.0],
                   distinct=[10.0, 20.0, 30.0], greedy=1.0)
    self.assertEqual(summary, {
        "reached_goal": True, "first_goal_step": 330, "distinct_states": 30.0,
        "greedy_reached_goal": 1.0, "distinct_curve": [[200, 400, 600], [10.0, 20.0, 30.0]]})

  def test_aggregates_tables_and_plots(self):
    never = _run(self.create_tempdir().full_path, first_goal=[0.0] * 3, distinct=[5.0, 6.0, 8.0],
                 greedy=0.0)
    self.assertEqual((never["reached_goal"], never["first_goal_step"]), (False, None))
    once = _run(self.create_tempdir().full_path, first_goal=[150.0] * 3, distinct=[5.0, 9.0, 12.0],
                greedy=1.0)
    runs = [{"task": "t", "config": "dqn", "seed": seed, **summary}
            for seed, summary in enumerate((never, once))]
    (row,) = benchmark.aggregate(runs)
    self.assertEqual(row, {"task": "t", "config": "dqn", "seeds": 2, "reached_goal": 1,
                           "first_goal_steps": [None, 150], "distinct_states_mean": 10.0,
                           "distinct_states_std": 2.0, "greedy_success": 0.5})
    json.dumps(row)
    self.assertEqual(benchmark.markdown_table([row]).splitlines()[-1],
                     "| t | dqn | 1/2 | -, 150 | 10.0 ± 2.0 | 0.50 |")
    path = os.path.join(self.create_tempdir().full_path, "plot.png")
    benchmark.plot_distinct_states(runs, path)
    self.assertGreater(os.path.getsize(path), 1000)
    goal_path = os.path.join(self.create_tempdir().full_path, "first_goal.png")
    benchmark.plot_first_goal([row], goal_path)
    self.assertGreater(os.path.getsize(goal_path), 1000)

  def test_comparison_table_puts_configs_beside_each_other_per_task(self):
    rows = [{"task": task, "config": config, "seeds": 3, "first_goal_steps": steps,
             "reached_goal": len(steps) - steps.count(None)}
            for task, config, steps in (("a", "dqn", [None] * 3), ("a", "counts", [300, 100, None]),
                                        ("b", "counts", [50, 70, 60]))]
    self.assertEqual(benchmark.comparison_table(rows).splitlines(), [
        "| config | a | b |", "| --- | --- | --- |", "| dqn | 0/3 (-) |  |",
        "| counts | 2/3 (200) | 3/3 (60) |"])
    greedy = [{**row, "greedy_success": 0.25} for row in rows]
    self.assertEqual(benchmark.comparison_table(greedy, benchmark._greedy_cell).splitlines()[2:],
                     ["| dqn | 0.25 |  |", "| counts | 0.25 | 0.25 |"])

  def test_first_seed_runs_new_seeds_past_the_reported_ones(self):
    output_dir = self.create_tempdir().full_path
    subprocess.run(
        [sys.executable, os.path.join(REPO, "scripts", "benchmark_exploration.py"),
         "--tasks=four_rooms", "--configs=gridworld_dqn", "--seeds=1", "--first_seed=2",
         "--num_agent_steps=800", "--gin_bindings=ReplayLearner.learning_starts = 100",
         f"--output_dir={output_dir}"], capture_output=True, text=True, timeout=300, check=True)
    with open(os.path.join(output_dir, "results.json")) as results_file:
      results = json.load(results_file)
    self.assertEqual([run["seed"] for run in results["runs"]], [2])
    self.assertEqual(results["flags"]["first_seed"], 2)
    self.assertEqual(os.listdir(os.path.join(output_dir, "four_rooms", "gridworld_dqn")),
                     ["seed_2"])


if __name__ == "__main__":
  absltest.main()
