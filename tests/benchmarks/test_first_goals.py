"""Tests of the first-goal comparisons against values worked by hand, and of the script."""
import json
import math
import os
import subprocess
import sys

from absl.testing import absltest

from tf_empowerment.benchmarks import first_goals
from tf_empowerment.benchmarks import sweeps


class FirstGoalsTest(absltest.TestCase):

  def test_quantiles_count_unreached_seeds_as_latest(self):
    steps = [300, 100, None, 200]
    self.assertEqual(first_goals.quantile_over_seeds(steps, 0.5), 250)
    self.assertEqual(first_goals.quantile_over_seeds(steps, 0.25), 175)
    self.assertEqual(first_goals.quantile_over_seeds(steps, 0.75), first_goals.NOT_REACHED)
    self.assertEqual(first_goals.quantile_over_seeds([None, None, 5], 0.5),
                     first_goals.NOT_REACHED)

  def test_fisher_gives_the_tea_tasting_value(self):
    # 3 of 4 against 1 of 4: P(X >= 3) = (C(4,3) C(4,1) + C(4,4) C(4,0)) / C(8,4) = 17 / 70.
    self.assertAlmostEqual(first_goals.fisher_more_reached(3, 4, 1, 4), 17 / 70)
    self.assertAlmostEqual(first_goals.fisher_more_reached(0, 4, 4, 4), 1.0)

  def test_rank_sum_of_separated_samples(self):
    # U = 0, variance 3 * 3 / 12 * 7 = 5.25: z = -4.5 / sqrt(5.25).
    expected = 0.5 * math.erfc(4.5 / math.sqrt(5.25) / math.sqrt(2))
    self.assertAlmostEqual(first_goals.rank_sum_earlier([1, 2, 3], [4, 5, 6]), expected)
    self.assertAlmostEqual(first_goals.rank_sum_earlier([4, 5, 6], [1, 2, 3]), 1 - expected)

  def test_rank_sum_ties_unreached_seeds(self):
    # Two unreached seeds against two: the reached seeds decide, and ties shrink the variance.
    earlier = first_goals.rank_sum_earlier([10, 20, None, None], [30, 40, None, None])
    self.assertLess(earlier, 0.5)
    self.assertEqual(first_goals.rank_sum_earlier([None, None], [None]), 0.5)
    self.assertAlmostEqual(first_goals.rank_sum_earlier([1, None], [1, None]), 0.5)

  def test_script_prints_a_row_per_config(self):
    directory = self.create_tempdir().full_path
    paths = []
    for name, steps in (("counts", [500, None, 900]), ("sum", [100, 200, 300])):
      paths.append(os.path.join(directory, f"{name}.json"))
      with open(paths[-1], "w") as file:
        json.dump({"summary": [{"task": "nine_rooms", "config": name,
                                "first_goal_steps": steps}]}, file)
    result = subprocess.run(
        [sys.executable, os.path.join(sweeps.REPO, "scripts", "compare_first_goals.py"),
         f"--baseline={paths[0]}", f"--results={paths[1]}"],
        capture_output=True, text=True, timeout=120, check=True)
    lines = result.stdout.splitlines()
    self.assertIn("| counts.json | nine_rooms | counts | 2/3 | 700 | 900 | 700-not reached | 0.800 |", lines[2])
    self.assertIn("| sum.json | nine_rooms | sum | 3/3 | 200 | 200 | 150-250 | 0.500 | 0.025 |", lines[3])
    pooled = subprocess.run(
        [sys.executable, os.path.join(sweeps.REPO, "scripts", "compare_first_goals.py"),
         f"--baseline={paths[0]},{paths[0]}", f"--results={paths[1]},{paths[0]}"],
        capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    self.assertIn("| counts.json,counts.json | nine_rooms | counts | 4/6 |", pooled[2])
    # A results entry pools its files' seeds per config: "counts" of the second file joins none.
    self.assertIn("| sum.json,counts.json | nine_rooms | sum | 3/3 |", pooled[3])


if __name__ == "__main__":
  absltest.main()
