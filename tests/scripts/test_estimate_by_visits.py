"""scripts/estimate_by_visits.py on real short runs of counts plus learned 3-step empowerment, the
estimator reading one-hot states or GridViewFeatures."""
import math
import os
import re
import subprocess
import sys

from absl.testing import absltest
from absl.testing import parameterized

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "estimate_by_visits.py")
CORRIDOR_CELLS = 8  # gridworld_dqn.gin's corridor


def _script(root_dir):
  return subprocess.run([sys.executable, SCRIPT, f"--root_dir={root_dir}"], capture_output=True,
                        text=True, timeout=300, cwd=REPO)


class EstimateByVisitsTest(parameterized.TestCase):

  @parameterized.parameters("gridworld_counts_plus_mine.gin", "gridworld_counts_plus_mine_view.gin")
  def test_tabulates_every_cell_of_a_run_by_its_visits(self, gin_file):
    root_dir = self.create_tempdir().full_path
    bindings = ["Runner.num_agent_steps = 400", "ReplayLearner.learning_starts = 300",
                "Runner.eval_interval = 400", "Runner.checkpoint_interval = 400"]
    train = subprocess.run(
        [sys.executable, os.path.join(REPO, "scripts", "train.py"), f"--root_dir={root_dir}",
         f"--gin_file={REPO}/gin/{gin_file}"]
        + [f"--gin_bindings={binding}" for binding in bindings],
        capture_output=True, text=True, timeout=600, cwd=REPO)
    self.assertEqual(train.returncode, 0, msg=train.stderr[-3000:])
    listed = sorted(os.listdir(root_dir))
    result = _script(root_dir)
    self.assertEqual(result.returncode, 0, msg=result.stderr[-3000:])
    self.assertEqual(sorted(os.listdir(root_dir)), listed)  # Nothing written.
    header = re.search(r"(\d+) cells, (\d+) visited; 3-step", result.stdout)
    self.assertIsNotNone(header, msg=result.stdout)
    self.assertEqual(int(header.group(1)), CORRIDOR_CELLS)
    rows = re.findall(  # visits, cells, estimate, exact, |error|, below 0
        r"^\| ([\d,+-]+) \| (\d+) \| (-?[\d.]+) \| ([\d.]+) \| ([\d.]+) \| (\d+)% \|$",
        result.stdout, flags=re.MULTILINE)
    self.assertEqual(sum(int(row[1]) for row in rows), CORRIDOR_CELLS, msg=result.stdout)
    for row in rows:
      self.assertBetween(float(row[3]), 0.0, math.log(125))
    self.assertEqual(sum(int(row[1]) for row in rows if row[0] != "0"), int(header.group(2)))

  def test_a_directory_without_a_run_is_one_error_line(self):
    result = _script(self.create_tempdir().full_path)
    self.assertNotEqual(result.returncode, 0)
    self.assertRegex(result.stderr.strip().splitlines()[-1], r"^error: .*operative_config.gin")


if __name__ == "__main__":
  absltest.main()
